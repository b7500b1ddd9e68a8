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
 * a short load, and must return at least one series.
 */
class DashboardsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path runDir;
    static LabTopology topology;
    static Lab lab;
    static final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void upWithLoad() {
        // Shared HTTP sessions, so that the transports' panels (unknown sessions, forwarding) have series.
        topology = LabTopology.onFreePorts(HOME, runDir, 3).withNodeSettings(Map.of("WSLAB_SESSIONS", "shared"));
        lab = new Lab(topology, new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
        // A short, bounded load through both frontends: connections, a room, broadcasts, one bad frame,
        // and some closes, so every kind of series exists.
        for (int port : new int[] {topology.stickyPort(), topology.roundRobinPort()}) {
            for (int i = 0; i < 6; i++) {
                TestClient client = TestClient.connect(HttpClient.newHttpClient(), port);
                clients.add(client);
                client.join("dash");
            }
        }
        for (int round = 0; round < 5; round++) {
            for (TestClient client : clients) {
                client.send("{\"type\":\"publish\",\"room\":\"dash\",\"body\":{\"n\":" + round + "}}");
            }
        }
        // A reconnect that names its previous node, an HTTP session used through another node (forwarded)
        // and a request for a session nobody has (unknown).
        String previous = clients.get(0).await("welcome").get("node").asText();
        TestClient back = TestClient.connectWithQuery(topology.stickyPort(), "previous=" + previous);
        clients.add(back);
        back.await("welcome");
        String session = Http.post(topology.nodePort(1), "/rt/sessions?transport=poll", "").json().path("session").asText();
        assertThat(Http.post(topology.nodePort(2), "/rt/sessions/" + session + "/commands", "{\"type\":\"join\",\"room\":\"dash\"}")
                .status()).isEqualTo(202);
        assertThat(Http.post(topology.nodePort(1), "/rt/sessions/nobody/commands", "{\"type\":\"join\",\"room\":\"dash\"}")
                .status()).isEqualTo(404);
        clients.get(1).send("{not json");
        clients.get(1).await("error");
        clients.remove(clients.size() - 1).close();
        clients.remove(0).close();
    }

    @AfterAll
    static void down() {
        clients.forEach(TestClient::close);
        lab.down();
    }

    @Test
    void everyPanelQueryReturnsSeriesFromTheLiveLab() {
        assertThat(Dashboards.emptyPanels(HOME, topology.prometheusPort(), Duration.ofSeconds(45)))
                .as("panels whose query returned no series").isEmpty();
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
