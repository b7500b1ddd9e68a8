package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana cannot run here, so its dashboards are checked the way Grafana would use them: every
 * panel's query is evaluated by the lab's real Prometheus, scraping the real nodes and HAProxy under
 * a short load, and must return at least one series — with a non-zero value, except where zero is
 * the normal reading.
 */
class DashboardsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path runDir;
    static LabTopology topology;
    static Lab lab;
    static final List<TestClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    static Thread load;
    static volatile boolean running = true;

    @BeforeAll
    static void upWithLoad() {
        // Shared HTTP sessions, so that the transports' panels (unknown sessions, forwarding) have series.
        topology = LabTopology.onFreePorts(HOME, runDir, 3).withNodeSettings(Map.of("WSLAB_SESSIONS", "shared"));
        lab = new Lab(topology, new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
        // Clients through both frontends in one room; keepLoading makes the traffic.
        for (int port : new int[] {topology.stickyPort(), topology.roundRobinPort()}) {
            for (int i = 0; i < 6; i++) {
                TestClient client = TestClient.connect(HttpClient.newHttpClient(), port);
                clients.add(client);
                client.join("dash");
            }
        }
        String session = Http.post(topology.nodePort(1), "/rt/sessions?transport=poll", "").json().path("session").asText();
        load = new Thread(() -> keepLoading(session), "dashboard-load");
        load.setDaemon(true);
        load.start();
    }

    /**
     * Rates and quantiles are 0 unless something happens across Prometheus's scrapes (2 s apart), so
     * the load runs while the panels are read: 4 times a second every client publishes; once a second
     * a client reconnects naming its previous node, a command goes to the shared session through the
     * node that does not own it (forwarded), one to a session nobody has (unknown) and a frame that is
     * not JSON (an error). Bounded: at most 90 s, and it stops when the tests are done.
     */
    private static void keepLoading(String session) {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int tick = 0; tick < 360 && running && System.nanoTime() < until; tick++) {
            for (TestClient client : clients) {
                client.send("{\"type\":\"publish\",\"room\":\"dash\",\"body\":{\"n\":" + tick + "}}");
            }
            if (tick % 4 == 0) {
                TestClient leaving = clients.remove(0);
                String previous = leaving.await("welcome").get("node").asText();
                leaving.close();
                int frontend = tick % 8 == 0 ? topology.stickyPort() : topology.roundRobinPort();
                TestClient back = TestClient.connectWithQuery(frontend, "previous=" + previous);
                back.join("dash");
                clients.add(back);
                Http.post(topology.nodePort(2), "/rt/sessions/" + session + "/commands", "{\"type\":\"join\",\"room\":\"dash\"}");
                Http.post(topology.nodePort(1), "/rt/sessions/nobody/commands", "{\"type\":\"join\",\"room\":\"dash\"}");
                clients.get(0).send("{not json");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @AfterAll
    static void down() throws InterruptedException {
        running = false;
        load.join(Duration.ofSeconds(10).toMillis());
        clients.forEach(TestClient::close);
        lab.down();
    }

    @Test
    void everyPanelQueryReturnsSeriesFromTheLiveLab() {
        assertThat(Dashboards.emptyPanels(HOME, topology.prometheusPort(), Duration.ofSeconds(45)))
                .as("panels whose query returned no series").isEmpty();
    }

    /**
     * Panels whose value is 0 while nothing is wrong, which this short load does not make happen: a
     * zero there is the reading they exist to show. Every other panel must show a non-zero value.
     */
    static final Map<String, String> ZERO_UNDER_THIS_LOAD = Map.of(
            "wslab-compare.json / Clients moved by the rebalancer (per second)", "the rebalancer is off in this lab",
            "wslab-compare.json / Time to rebalance (last episode, s)", "the rebalancer is off in this lab",
            "wslab-overview.json / HAProxy 5xx per server", "no node fails a request",
            "wslab-overview.json / HAProxy queue per backend", "no server is at its maxconn",
            "wslab-overview.json / HAProxy retries and redispatches", "no node refuses a connection");

    @Test
    void everyPanelShowsANonZeroValueUnderTheLoadExceptThoseWhereZeroIsTheNormalReading() {
        assertThat(Dashboards.zeroPanels(HOME, topology.prometheusPort(), Duration.ofSeconds(120), Duration.ofSeconds(45)))
                .as("panels with no non-zero value under the load").isSubsetOf(ZERO_UNDER_THIS_LOAD.keySet());
    }

    @Test
    void dashboardsAreWellFormedForProvisioning() throws IOException {
        String datasources = Files.readString(HOME.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources).contains("uid: wslab-prometheus");
        for (Path file : Dashboards.files(HOME)) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                String where = file.getFileName() + " panel " + panel.path("title").asText();
                assertThat(ids.add(panel.get("id").asInt())).as(where + " has a unique id").isTrue();
                assertThat(panel.at("/datasource/uid").asText()).as(where).isEqualTo("wslab-prometheus");
                assertThat(panel.at("/fieldConfig/defaults/unit").asText()).as(where + " unit").isNotBlank();
                assertThat(panel.get("targets")).as(where + " targets").isNotEmpty();
                for (JsonNode target : panel.get("targets")) {
                    assertThat(target.at("/datasource/uid").asText()).as(where).isEqualTo("wslab-prometheus");
                    assertThat(target.path("expr").asText()).as(where + " expr").isNotBlank();
                }
            }
        }
    }

}
