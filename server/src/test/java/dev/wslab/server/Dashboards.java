package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Grafana dashboards' queries, evaluated the way Grafana would: by a live Prometheus. Used for
 * the native lab (DashboardsIT) and the compose lab (ComposeIT).
 */
final class Dashboards {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dashboards() {}

    static List<Path> files(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("grafana/dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Grafana's template variables, as "All" expands them. */
    private static final Map<String, String> ALL_VALUES = Map.of("$lb", "sticky|roundrobin|weighted|affinity|random", "$node", ".*");

    /** "dashboard / panel / refId" → its PromQL, with the template variables as "All" expands them. */
    static Map<String, String> panelQueries(Path home) {
        Map<String, String> queries = new LinkedHashMap<>();
        try {
            for (Path file : files(home)) {
                for (JsonNode panel : JSON.readTree(file.toFile()).get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        String expr = target.get("expr").asText();
                        for (Map.Entry<String, String> v : ALL_VALUES.entrySet()) {
                            expr = expr.replace(v.getKey(), v.getValue());
                        }
                        queries.put(file.getFileName() + " / " + panel.get("title").asText() + " / "
                                + target.get("refId").asText(), expr);
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return queries;
    }

    /** "dashboard / annotation" → its PromQL: the runs and faults the comparison runner exports. */
    static Map<String, String> annotationQueries(Path home) {
        Map<String, String> queries = new LinkedHashMap<>();
        try {
            for (Path file : files(home)) {
                for (JsonNode annotation : JSON.readTree(file.toFile()).at("/annotations/list")) {
                    if (annotation.has("expr")) {
                        queries.put(file.getFileName() + " / " + annotation.path("name").asText(), annotation.get("expr").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return queries;
    }

    /** What an annotation of the dashboards found over the last {@code window}: each series' {@code labels}, joined by "/". */
    static java.util.Set<String> annotated(Path home, int prometheusPort, String annotation, Duration window, String... labels) {
        String expr = annotationQueries(home).get(annotation);
        assertThat(expr).as("the annotation " + annotation).isNotNull();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (JsonNode series : seriesOver(prometheusPort, expr, window)) {
            seen.add(java.util.Arrays.stream(labels).map(l -> series.at("/metric/" + l).asText())
                    .collect(java.util.stream.Collectors.joining("/")));
        }
        return seen;
    }

    /** The series a query returned at any moment of the last {@code window} (a subquery over it). */
    static JsonNode seriesOver(int prometheusPort, String expr, Duration window) {
        String over = "max_over_time((" + expr + ")[" + window.toSeconds() + "s:2s])";
        Http.Response response = Http.get(prometheusPort, "/api/v1/query?query=" + URLEncoder.encode(over, StandardCharsets.UTF_8));
        assertThat(response.status()).as("Prometheus accepts " + over + ": " + response.body()).isEqualTo(200);
        return response.json().at("/data/result");
    }

    /** The panels whose query still returns no series from this Prometheus after {@code timeout}. */
    static Map<String, String> emptyPanels(Path home, int prometheusPort, Duration timeout) {
        Map<String, String> queries = panelQueries(home);
        assertThat(queries).hasSizeGreaterThan(20);
        Map<String, String> empty = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            empty.clear();
            queries.forEach((panel, expr) -> {
                if (seriesCount(prometheusPort, expr) == 0) {
                    empty.put(panel, expr);
                }
            });
        } while (!empty.isEmpty() && System.nanoTime() < deadline && pause());
        return empty;
    }

    /**
     * "dashboard / panel" of the panels none of whose queries had a non-zero series at any moment of
     * the last {@code window}, still so after {@code timeout}.
     */
    static java.util.Set<String> zeroPanels(Path home, int prometheusPort, Duration window, Duration timeout) {
        Map<String, String> queries = panelQueries(home);
        java.util.Set<String> zero = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            zero.clear();
            queries.keySet().forEach(target -> zero.add(target.substring(0, target.lastIndexOf(" / "))));
            queries.forEach((target, expr) -> {
                if (!seriesOver(prometheusPort, "abs(" + expr + ") > 0", window).isEmpty()) {
                    zero.remove(target.substring(0, target.lastIndexOf(" / ")));
                }
            });
        } while (!zero.isEmpty() && System.nanoTime() < deadline && pause());
        return zero;
    }

    private static int seriesCount(int prometheusPort, String expr) {
        Http.Response response = Http.get(prometheusPort, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertThat(response.status()).as("Prometheus accepts " + expr + ": " + response.body()).isEqualTo(200);
        return response.json().at("/data/result").size();
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
