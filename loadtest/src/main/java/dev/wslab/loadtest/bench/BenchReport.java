package dev.wslab.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** summary.md of a bench run: the machine, the fanout per target as a ratio of the floor, capacity. */
final class BenchReport {
    private BenchReport() {}

    static String markdown(Map<String, Object> data) {
        JsonNode d = new ObjectMapper().valueToTree(data);
        StringBuilder md = new StringBuilder("# wslab bench\n\n");
        md.append("Command: `").append(d.path("command").asText()).append("`  \n");
        d.path("machine").fields().forEachRemaining(e -> md.append(e.getKey()).append(": ").append(e.getValue().asText()).append("  \n"));
        md.append("Node JVM: ").append(d.path("nodeJvm").asText()).append("; settings ").append(d.path("nodeSettings")).append("\n");
        if (d.has("fanout")) {
            fanout(d.path("fanout"), md);
        }
        for (JsonNode failure : d.path("fanoutFailures")) {
            md.append("\nFanout failed: ").append(failure.asText()).append("\n");
        }
        if (d.has("capacity")) {
            capacity(d.path("capacity"), md);
        }
        return md.toString();
    }

    private static void fanout(JsonNode steps, StringBuilder md) {
        md.append("\n## Fanout: the best unsaturated step per target\n\n")
                .append("Deliveries per second a target sustained with ≥ 95 % of the owed deliveries arriving, no socket")
                .append(" closed and p99 under 500 ms; the ratio is to the floor's figure for the same subscriber count.\n\n")
                .append("| subscribers | target | deliveries/s | of the floor | p50 ms | p99 ms | p99.9 ms | generator CPU |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        Map<Integer, Map<String, JsonNode>> best = new TreeMap<>();
        for (JsonNode s : steps) {
            if (s.path("saturated").asBoolean()) {
                continue;
            }
            best.computeIfAbsent(s.path("subscribers").asInt(), k -> new LinkedHashMap<>())
                    .merge(s.path("target").asText(), s, (a, b) -> b.path("deliveriesPerSecond").asDouble() > a.path("deliveriesPerSecond").asDouble() ? b : a);
        }
        best.forEach((n, byTarget) -> {
            JsonNode floor = byTarget.get("floor");
            byTarget.forEach((target, s) -> md.append(String.format("| %,d | %s | %,.0f | %s | %s | %s | %s | %.0f %% |%n", n, target,
                    s.path("deliveriesPerSecond").asDouble(),
                    floor == null ? "—" : String.format("%.0f %%", 100 * s.path("deliveriesPerSecond").asDouble() / floor.path("deliveriesPerSecond").asDouble()),
                    ms(s, "p50"), ms(s, "p99"), ms(s, "p999"), 100 * s.path("generatorCpu").asDouble())));
        });
        md.append("\n### Every step\n\n| target | subscribers | msg/s | owed | delivered | deliveries/s | p50 | p99 | p99.9 | max | generator CPU | saturated |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode s : steps) {
            md.append(String.format("| %s | %,d | %,d | %,d | %,d | %,.0f | %s | %s | %s | %s | %.0f %% | %s |%n", s.path("target").asText(),
                    s.path("subscribers").asInt(), s.path("rate").asInt(), s.path("owed").asLong(), s.path("delivered").asLong(),
                    s.path("deliveriesPerSecond").asDouble(), ms(s, "p50"), ms(s, "p99"), ms(s, "p999"), ms(s, "max"),
                    100 * s.path("generatorCpu").asDouble(), s.path("saturated").asBoolean() ? "yes" : ""));
        }
    }

    private static void capacity(JsonNode steps, StringBuilder md) {
        md.append("\n## Capacity: idle sockets on one node\n\n")
                .append("| target | open | opened in s | live heap MiB | heap B/conn | RSS MiB | RSS B/conn | stopped by |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (JsonNode s : steps) {
            md.append(String.format("| %,d | %,d | %.1f | %.1f | %s | %.1f | %s | %s |%n", s.path("target").asInt(), s.path("open").asLong(),
                    s.path("openSeconds").asDouble(), s.path("heapMiB").asDouble(), bytes(s.path("heapBytesPerConnection")),
                    s.path("rssMiB").asDouble(), bytes(s.path("rssBytesPerConnection")),
                    s.path("stoppedBy").isNull() ? "" : s.path("stoppedBy").asText()));
        }
    }

    private static String ms(JsonNode step, String key) {
        JsonNode v = step.path("latencyMillis").path(key);
        return v.isMissingNode() || v.isNull() ? "—" : String.format("%.2f", v.asDouble());
    }

    private static String bytes(JsonNode v) {
        return v.isNull() || v.isMissingNode() ? "—" : String.format("%,.0f", v.asDouble());
    }
}
