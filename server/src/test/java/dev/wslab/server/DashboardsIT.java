package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
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
        topology = LabTopology.onFreePorts(HOME, runDir, 3);
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
        Map<String, String> queries = panelQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        Map<String, Integer> empty = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        do {
            empty.clear();
            queries.forEach((panel, expr) -> {
                int series = seriesCount(expr);
                if (series == 0) {
                    empty.put(panel + ": " + expr, series);
                }
            });
        } while (!empty.isEmpty() && System.nanoTime() < deadline && pause());
        assertThat(empty).as("panels whose query returned no series").isEmpty();
    }

    @Test
    void dashboardsAreWellFormedForProvisioning() throws IOException {
        String datasources = Files.readString(HOME.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources).contains("uid: wslab-prometheus");
        for (Path file : dashboards()) {
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

    private static boolean pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("grafana/dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Map<String, String> panelQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        try {
            for (Path file : dashboards()) {
                for (JsonNode panel : JSON.readTree(file.toFile()).get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        queries.put(file.getFileName() + " / " + panel.get("title").asText() + " / "
                                + target.get("refId").asText(), target.get("expr").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return queries;
    }

    private static int seriesCount(String expr) {
        Http.Response response = Http.get(topology.prometheusPort(),
                "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertThat(response.status()).as("Prometheus accepts " + expr + ": " + response.body()).isEqualTo(200);
        return response.json().at("/data/result").size();
    }
}
