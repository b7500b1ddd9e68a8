package dev.wslab.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The cost run's table in summary.md: per target and phase (cold, warm), the CPU microseconds per
 * delivery of the target's processes and of the generator, each the median (min–max) over the repeats,
 * and the target's price as a share of the references' (the bare floor, the Node.js peer) in the same
 * repeat and phase.
 */
final class BenchCostReport {
    static final String FLOOR = "floor";
    static final String PEER = "Node.js peer ×1";

    private BenchCostReport() {}

    static void markdown(JsonNode steps, JsonNode plan, StringBuilder md) {
        md.append("\n## Cost: CPU µs per delivery\n\n")
                .append(String.format("One room of %,d subscribers, %,d deliveries/s offered (%,d messages/s); each target started afresh, ",
                        plan.path("subscribers").asInt(), plan.path("deliveriesPerSecond").asInt(), plan.path("messagesPerSecond").asInt()))
                .append("then **cold**: its first ").append(seconds(plan.path("windowSeconds"))).append(" s of load; **warm**: ")
                .append(seconds(plan.path("windowSeconds"))).append(" s after ").append(seconds(plan.path("warmUpSeconds")))
                .append(" s of warm-up at the same rate. **Server**: the user and system CPU time (`/proc/<pid>/stat`) of the")
                .append(" target's processes — the node(s) or peer(s) and the Redis they share, HAProxy where it is in the path —")
                .append(" from the window's start until its last deliveries arrived, divided by the deliveries of the window's")
                .append(" messages; **generator**: the same for the bench's own JVM (subscribers and publisher). Each cell is the")
                .append(" median (min–max) over the repeats; the ratios are taken within each repeat.\n\n")
                .append("| target | phase | repeats | server µs/delivery | of the floor | of the Node.js peer | generator µs/delivery")
                .append(" | generator CPU | deliveries/s | p50 ms | p99 ms | p99.9 ms | saturated |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        // target → phase → repeat → step, targets in the order of the first repeat
        Map<String, Map<String, Map<Integer, JsonNode>>> byTarget = new LinkedHashMap<>();
        for (JsonNode s : steps) {
            byTarget.computeIfAbsent(s.path("target").asText(), k -> new TreeMap<>())
                    .computeIfAbsent(s.path("phase").asText(), k -> new TreeMap<>())
                    .put(s.path("repeat").asInt(1), s);
        }
        byTarget.forEach((target, byPhase) -> byPhase.forEach((phase, byRepeat) -> {
            List<JsonNode> runs = new ArrayList<>(byRepeat.values());
            md.append(String.format("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", target, phase, runs.size(),
                    spread(runs, s -> s.path("serverMicros").asDouble(Double.NaN), "%.2f", 1),
                    ratio(byRepeat, byTarget.get(FLOOR), phase), ratio(byRepeat, byTarget.get(PEER), phase),
                    spread(runs, s -> s.path("generatorMicros").asDouble(Double.NaN), "%.2f", 1),
                    spread(runs, s -> s.path("generatorCpu").asDouble(), "%.0f %%", 100),
                    spread(runs, s -> s.path("deliveriesPerSecond").asDouble(), "%,.0f", 1),
                    spread(runs, s -> s.path("latencyMillis").path("p50").asDouble(Double.NaN), "%.1f", 1),
                    spread(runs, s -> s.path("latencyMillis").path("p99").asDouble(Double.NaN), "%.1f", 1),
                    spread(runs, s -> s.path("latencyMillis").path("p999").asDouble(Double.NaN), "%.1f", 1),
                    runs.stream().filter(s -> s.path("saturated").asBoolean()).count()));
        }));
        md.append("\n### Every cost step\n\n");
        BenchReport.steps(steps, md);
    }

    /** Each JVM target's warm windows: CPU µs per delivery by thread, kernel time included. */
    static void threads(JsonNode windows, StringBuilder md) {
        if (windows.isEmpty()) {
            return;
        }
        md.append("\n### Warm windows by thread\n\nEach JVM target's CPU per delivery by thread (`/proc/<pid>/task/*/stat`, user")
                .append(" and system, so the kernel's work for a write counts on the thread that made it), busiest first.\n\n")
                .append("| target | repeat | µs per delivery by thread |\n|---|---|---|\n");
        for (JsonNode w : windows) {
            double deliveries = Math.max(1, w.path("deliveries").asDouble());
            List<String> threads = new ArrayList<>();
            w.path("cpuMillisByThread").fields().forEachRemaining(e -> {
                if (e.getValue().asLong() > 0) {
                    threads.add(String.format("`%s` %.2f", e.getKey(), e.getValue().asDouble() * 1000 / deliveries));
                }
            });
            md.append("| ").append(w.path("target").asText()).append(" | ").append(w.path("repeat").asInt()).append(" | ")
                    .append(String.join(", ", threads)).append(" |\n");
        }
    }

    /** Each JFR recording's top frames, first frames in wslab's code, and allocations. */
    static void profiles(JsonNode profiles, StringBuilder md) {
        for (JsonNode p : profiles) {
            md.append("\n### Where the CPU went: ").append(p.path("target").asText()).append(", repeat ").append(p.path("repeat").asInt())
                    .append("\n\n").append(p.path("executionSamples").asLong()).append(" execution samples in `")
                    .append(p.path("recording").asText()).append("` (JFR, the JDK's profile settings). CPU ms by thread")
                    .append(" over the window (`/proc`, user and system): ");
            List<String> threads = new ArrayList<>();
            p.path("cpuMillisByThread").fields().forEachRemaining(e -> threads.add("`" + e.getKey() + "` " + e.getValue().asLong()));
            md.append(String.join(", ", threads)).append(".\n\n")
                    .append("| top frame | samples | first frame in wslab's code | samples | allocated class | bytes (sampled weight) |\n")
                    .append("|---|---|---|---|---|---|\n");
            List<Map.Entry<String, JsonNode>> top = entries(p.path("topFrames"));
            List<Map.Entry<String, JsonNode>> own = entries(p.path("ownCodeFrames"));
            List<Map.Entry<String, JsonNode>> allocated = entries(p.path("allocatedBytesByClass"));
            int rows = Math.max(top.size(), Math.max(own.size(), allocated.size()));
            for (int i = 0; i < rows; i++) {
                md.append("| ").append(cell(top, i, "%,d")).append(" | ").append(cell(own, i, "%,d")).append(" | ")
                        .append(cell(allocated, i, "%,d")).append(" |\n");
            }
        }
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        object.fields().forEachRemaining(entries::add);
        return entries;
    }

    private static String cell(List<Map.Entry<String, JsonNode>> entries, int i, String format) {
        if (i >= entries.size()) {
            return " | ";
        }
        return "`" + entries.get(i).getKey() + "` | " + String.format(format, entries.get(i).getValue().asLong());
    }

    /** The target's server price over the reference's, repeat by repeat, in one phase. */
    private static String ratio(Map<Integer, JsonNode> target, Map<String, Map<Integer, JsonNode>> reference, String phase) {
        Map<Integer, JsonNode> ref = reference == null ? null : reference.get(phase);
        if (ref == null) {
            return "—";
        }
        List<Double> ratios = new ArrayList<>();
        target.forEach((repeat, s) -> {
            JsonNode r = ref.get(repeat);
            if (r != null) {
                ratios.add(s.path("serverMicros").asDouble(Double.NaN) / r.path("serverMicros").asDouble(Double.NaN));
            }
        });
        return BenchReport.spread(ratios, "%.0f %%", 100);
    }

    private static String spread(List<JsonNode> runs, ToDoubleFunction<JsonNode> value, String format, double scale) {
        List<Double> values = new ArrayList<>();
        for (JsonNode run : runs) {
            double v = value.applyAsDouble(run);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        }
        return BenchReport.spread(values, format, scale);
    }

    private static String seconds(JsonNode value) {
        return String.format("%.0f", value.asDouble());
    }
}
