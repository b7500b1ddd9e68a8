package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Command;
import dev.wslab.launcher.docker.ComposeLab;
import dev.wslab.launcher.docker.ComposePrep;
import dev.wslab.launcher.docker.DockerEngine;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker-compose.yml on a real Docker engine, as a user runs it: {@code docker-compose up -d --build}
 * of every service whose image can be had (all but Grafana's here: no registry answers), then the
 * lab's promises through the compose HAProxy's published ports, a short comparison run inside the
 * loadtest container, and {@code docker-compose down -v} leaving nothing behind. The engine is the
 * machine's own, or Debian's dockerd started for the test and stopped after it (with the iptables
 * FORWARD policy put back); the base image is kept, pulled, or made with debootstrap. The runner's
 * contract (ClusterContract) runs against the compose lab here, as NativeClusterIT runs it natively.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT implements ClusterContract {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final String PROJECT = "wslabit";
    private static final String GRAFANA = "grafana/grafana:10.4.2";

    static DockerEngine engine;
    static ComposeLab lab;
    static ComposeProject compose;
    static final List<TestClient> clients = new ArrayList<>();
    static int sticky;
    static int roundRobin;
    static int prometheus;

    @BeforeAll
    static void composeUp() throws IOException {
        DockerEngine.unavailable().ifPresent(reason -> {
            System.out.println("ComposeIT: skipped — " + reason);
            Assumptions.abort(reason);
        });
        engine = DockerEngine.acquire(HOME.resolve("server/target/compose-it/dockerd.log"), System.out);
        ComposePrep.prepare(HOME, engine.api(), System.out);
        Map<String, String> publish = ComposeProject.freePublishedPorts();
        compose = new ComposeProject(HOME, PROJECT, publish);
        sticky = Integer.parseInt(publish.get("WSLAB_PUBLISH_STICKY"));
        roundRobin = Integer.parseInt(publish.get("WSLAB_PUBLISH_ROUNDROBIN"));
        prometheus = Integer.parseInt(publish.get("WSLAB_PUBLISH_PROMETHEUS"));
        compose.run(Duration.ofSeconds(60), "down", "-v", "--remove-orphans");
        List<String> up = new ArrayList<>(List.of("up", "-d", "--build", "redis", "node-1", "node-2", "node-3", "haproxy", "prometheus"));
        if (ComposeProject.imageCanBeHad(engine.api(), GRAFANA)) {
            up.add("grafana");
        } else {
            System.out.println("ComposeIT: grafana skipped — its image " + GRAFANA + " is not here and cannot be pulled");
        }
        long started = System.nanoTime();
        // The load generator's image too: `run` would take a stale one as it is.
        compose.run(Duration.ofMinutes(20), "--profile", "loadtest", "build", "loadtest");
        String output = compose.run(Duration.ofMinutes(25), up.toArray(String[]::new));
        System.out.printf("ComposeIT: docker-compose build loadtest and up -d --build took %d s%n%s%n", (System.nanoTime() - started) / 1_000_000_000,
                ComposeProject.tail(output, 15));
        lab = ComposeLab.fromHost(HOME, engine.api(), PROJECT, System.out);
        lab.up();
    }

    @AfterAll
    static void composeDown() {
        clients.forEach(TestClient::close);
        if (engine == null) {
            return;
        }
        try {
            if (compose != null) {
                compose.run(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
            }
        } finally {
            engine.close();
        }
    }

    @Test
    @Order(1)
    void onlyHaproxysFrontendsAndStatsPrometheusAndGrafanaArePublishedOnTheHost() {
        Map<String, Set<Integer>> published = new TreeMap<>();
        for (String service : List.of("redis", "node-1", "node-2", "node-3", "haproxy", "prometheus", "grafana")) {
            for (JsonNode container : engine.api().containers(PROJECT, service)) {
                for (JsonNode port : container.path("Ports")) {
                    if (port.has("PublicPort")) {
                        published.computeIfAbsent(service, s -> new TreeSet<>()).add(port.path("PrivatePort").asInt());
                    }
                }
            }
        }
        Map<String, Set<Integer>> expected = new TreeMap<>(Map.of("haproxy", Set.of(8080, 8081, 8082, 8083, 8084, 8404),
                "prometheus", Set.of(9090)));
        if (!engine.api().containers(PROJECT, "grafana").isEmpty()) {
            expected.put("grafana", Set.of(3000));
        }
        assertThat(published).isEqualTo(expected);
    }

    @Test
    @Order(1)
    void throughStickyAReconnectingClientReturnsToItsNode() {
        HttpClient withCookie = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String first = nodeOf(TestClient.connect(withCookie, sticky));
        for (int i = 0; i < 5; i++) {
            assertThat(nodeOf(TestClient.connect(withCookie, sticky))).as("reconnect " + i).isEqualTo(first);
        }
    }

    @Test
    @Order(2)
    void throughRoundRobinConnectionsSpreadOverEveryNode() {
        Set<String> nodes = new TreeSet<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(nodeOf(TestClient.connect(HttpClient.newHttpClient(), roundRobin)));
        }
        assertThat(nodes).containsExactly("node-1", "node-2", "node-3");
    }

    @Test
    @Order(3)
    void aMessagePublishedOnOneNodeReachesAMemberOnAnotherWithTheSameSeq() {
        TestClient publisher = clientOn("node-1", roundRobin, HttpClient.newHttpClient());
        TestClient member = clientOn("node-3", roundRobin, HttpClient.newHttpClient());
        publisher.join("compose-cross");
        member.join("compose-cross");
        long seq = publisher.publish("compose-cross", "across", "x1").get("seq").asLong();
        assertThat(member.awaitMessage("compose-cross", "across").get("seq").asLong()).isEqualTo(seq);
    }

    @Test
    @Order(4)
    void aSubscriberWhoseNodeContainerIsKilledResumesOnAnotherNodeWithNothingLost() {
        HttpClient withCookie = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        TestClient subscriber = clientOn("node-2", sticky, withCookie);
        TestClient publisher = clientOn("node-1", roundRobin, HttpClient.newHttpClient());
        subscriber.join("compose-kill");
        publisher.join("compose-kill");
        long seen = publisher.publish("compose-kill", "before", "k0").get("seq").asLong();
        subscriber.awaitMessage("compose-kill", "before");

        compose.run(Duration.ofSeconds(30), "kill", "node-2");
        assertThat(subscriber.awaitClose()).isEqualTo(1006);
        for (int i = 1; i <= 3; i++) {
            assertThat(publisher.publish("compose-kill", "during-" + i, "k" + i).get("type").asText()).isEqualTo("ack");
        }
        // Its cookie names node-2, which is gone: HAProxy places it elsewhere.
        TestClient back = TestClient.connect(withCookie, sticky);
        clients.add(back);
        assertThat(back.await("welcome").get("node").asText()).isNotEqualTo("node-2");
        back.send("{\"type\":\"join\",\"room\":\"compose-kill\",\"since\":" + seen + "}");
        assertThat(back.await("joined").get("resumed").asLong()).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(back.awaitMessage("compose-kill", "during-" + i).get("seq").asLong()).isEqualTo(seen + i);
        }
        compose.run(Duration.ofMinutes(2), "start", "node-2");
        lab.up();
    }

    @Test
    @Order(5)
    void prometheusScrapesEveryNodeAndHaproxy() {
        Map<String, String> health = Eventually.value(() -> ComposeProject.targetHealth(prometheus),
                h -> h.size() == 4 && h.values().stream().allMatch("up"::equals), Duration.ofSeconds(30), "every target up");
        assertThat(health).containsOnlyKeys("wslab-nodes node-1:9001", "wslab-nodes node-2:9002", "wslab-nodes node-3:9003",
                "haproxy haproxy:8404");
    }

    @Test
    @Order(6)
    void everyDashboardPanelQueryReturnsSeriesFromTheComposePrometheus() {
        // What the earlier tests did not: a bad frame (an error), a clean close on a live node, a
        // reconnect that names its node, a request for a session nobody has, and — with the nodes
        // restarted on shared sessions through the runner's own settings volume — an HTTP session
        // whose commands reach other nodes and are forwarded.
        lab.withNodeSettings(Map.of("WSLAB_SESSIONS", "shared")).restartNodes();
        try {
            assertThat(lab.health("node-1")).hasValueSatisfying(h -> assertThat(h).startsWith("200"));
            String session = Http.post(roundRobin, "/rt/sessions?transport=poll", "").json().path("session").asText();
            for (int i = 0; i < 3; i++) {
                assertThat(Http.post(roundRobin, "/rt/sessions/" + session + "/commands",
                        "{\"type\":\"join\",\"room\":\"dash" + i + "\"}").status()).isEqualTo(202);
            }
            assertThat(Http.post(roundRobin, "/rt/sessions/nobody/commands", "{\"type\":\"join\",\"room\":\"dash\"}").status())
                    .isEqualTo(404);
            TestClient client = clientOn("node-1", roundRobin, HttpClient.newHttpClient());
            client.send("{not json");
            client.await("error");
            client.close();
            nodeOf(TestClient.connectWithQuery(sticky, "previous=node-1"));
            assertThat(Dashboards.emptyPanels(HOME, prometheus, Duration.ofSeconds(45)))
                    .as("panels whose query returned no series").isEmpty();
        } finally {
            lab.withNodeSettings(Map.of()).restartNodes();
        }
    }

    @Test
    @Order(8)
    void aShortComparisonInsideTheLoadtestContainerWritesItsReport() throws IOException {
        ComposeProject.Comparison comparison = compose.compare("compose-it-" + System.currentTimeMillis(),
                "--experiments", "rooms,restart,reload", "--configurations", "sticky,roundrobin,reload-keep,reload-hard-stop");
        // HAProxy reloads through its master CLI on the compose network; a configuration that needs
        // other HAProxy variables cannot run there (its environment is the container's), and is said so.
        assertThat(comparison.output()).contains("compare: reload leaves out [reload-hard-stop]: HAProxy's variables are its container's environment");
        assertThat(comparison.runs()).containsExactlyInAnyOrder("rooms/sticky true", "rooms/roundrobin true", "restart/sticky true",
                "restart/roundrobin true", "reload/reload-keep true");
        assertThat(comparison.data().at("/machine/cluster").asText()).startsWith("docker compose");
        // Grafana's annotations: Prometheus scraped the runner's series, one per run and one per fault.
        assertThat(Dashboards.annotationQueries(HOME)).hasSize(2);
        assertThat(Dashboards.annotated(HOME, prometheus, "wslab-compare.json / Comparison runs", Duration.ofMinutes(15),
                "experiment", "configuration")).containsExactlyInAnyOrder("rooms/sticky", "rooms/roundrobin", "restart/sticky",
                "restart/roundrobin", "reload/reload-keep");
        assertThat(Dashboards.annotated(HOME, prometheus, "wslab-compare.json / Faults", Duration.ofMinutes(15),
                "fault", "node", "configuration")).containsExactlyInAnyOrder("restart/node-2/sticky", "restart/node-2/roundrobin",
                "reload/haproxy/reload-keep");
    }

    /** After the comparison above, whose runs are in the same window of Grafana's annotations. */
    @Test
    @Order(9)
    void thePolicyExperimentsRunInsideTheLoadtestContainerWithARoomsNodeKilledAndANodeAdded() throws IOException {
        // 20 s measured, not the quick plan's 4: the node container surge starts a third in answered 6 s later.
        ComposeProject.Comparison comparison = compose.compare("compose-policies-it-" + System.currentTimeMillis(),
                "--experiments", "skew,room-node-kill,surge", "--configurations", "random", "--duration", "20");
        assertThat(comparison.runs()).containsExactlyInAnyOrder("skew/random true", "room-node-kill/random true", "surge/random true");
        for (JsonNode run : comparison.data().path("runs")) {
            JsonNode figures = run.path("figures");
            String experiment = run.path("experiment").asText();
            assertThat(figures.path("lost").asDouble()).as(experiment + " lost").isZero();
            if (experiment.equals("room-node-kill")) {
                assertThat(figures.path("reconnects").asDouble()).as("the room's node killed: its clients came back").isPositive();
            }
            if (experiment.equals("surge")) {
                assertThat(figures.path("joined_share_5s").asDouble()).as("the node added took newcomers").isPositive();
            }
        }
        assertThat(Dashboards.annotated(HOME, prometheus, "wslab-compare.json / Comparison runs", Duration.ofMinutes(15),
                "experiment", "configuration")).contains("skew/random", "room-node-kill/random", "surge/random");
    }

    @Test
    @Order(10)
    void theComposeRunnerRefusesTheNativeOnlyPartitionWithItsReason() {
        Command.Result result = compose.result(Duration.ofMinutes(2), "--profile", "loadtest", "run", "--rm", "loadtest",
                "chaos", "partition");
        assertThat(result.exit()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("partition experiment cannot run on this lab", "only the native lab", "network namespace");
    }

    /** Last, after the contract's tests too (they have no order of their own). */
    @Test
    @Order(Integer.MAX_VALUE)
    void downRemovesEveryContainerAndVolumeOfTheProject() {
        compose.run(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
        String filter = URLEncoder.encode("{\"label\":[\"com.docker.compose.project=" + PROJECT + "\"]}", StandardCharsets.UTF_8);
        assertThat(engine.api().get("/containers/json?all=1&filters=" + filter).json()).isEmpty();
        assertThat(engine.api().get("/volumes?filters=" + filter).json().path("Volumes")).isEmpty();
    }

    @Override
    public dev.wslab.launcher.Cluster cluster() {
        return lab;
    }

    private static String nodeOf(TestClient client) {
        clients.add(client);
        return client.await("welcome").get("node").asText();
    }

    private static TestClient clientOn(String node, int port, HttpClient http) {
        for (int i = 0; i < 12; i++) {
            TestClient c = TestClient.connect(http, port);
            if (nodeOf(c).equals(node)) {
                return c;
            }
        }
        throw new AssertionError("no client through port " + port + " landed on " + node);
    }
}
