package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.loadtest.report.SvgChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * summary.md and report.html of {@code ./lab bench bus}: each target at saturation and at the
 * highest rate every target sustained in every repeat, median and range over repeats, then every
 * step; the report adds acked rate, publish p99 and Redis CPU per message against the offered rate.
 */
final class BusReport {
    private BusReport() {}

    static String markdown(Map<String, Object> data) {
        JsonNode d = new ObjectMapper().valueToTree(data);
        JsonNode plan = d.path("plan");
        StringBuilder md = new StringBuilder("# wslab bench: the bus, one Redis against a Redis Cluster\n\n");
        md.append("Command: `").append(d.path("command").asText()).append("`  \n");
        d.path("machine").fields().forEachRemaining(e -> md.append(e.getKey()).append(": ").append(e.getValue().asText()).append("  \n"));
        md.append(String.format("Plan: %,d rooms, one publisher socket per room on one node and one subscriber on another (every message"
                        + " crosses the bus), %d nodes per target, offered %s msg/s in all, steps of %.0f s after %.0f s of warm-up"
                        + " and before %.0f s of drain, %d repeat(s) in alternating order. Node JVM: %s; settings %s.%n",
                plan.path("rooms").asInt(), plan.path("nodes").asInt(), plan.path("rates"), plan.path("stepSeconds").asDouble(),
                plan.path("warmUpSeconds").asDouble(), plan.path("drainSeconds").asDouble(), plan.path("repeats").asInt(),
                d.path("nodeJvm").asText(), d.path("nodeSettings")));
        md.append("""

                **What this machine cannot show.** The cluster's 6 redis-servers (3 masters, 3 replicas), the nodes and the
                generator all share the same cores, so the cluster cannot show its scale-out: three masters on
                three machines would each take a third of the messages, here they take turns on the same cores, and
                the replicas (which replay every write and every shard message) take CPU from them. What it shows: the
                CPU each message costs Redis (all its processes, masters and replicas apart), the nodes and the
                generator on one Redis and on the cluster's sharded pub/sub; whether every message is acked and delivered
                on both; and where each climb saturated, with every group's share of the machine. A step is saturated
                when under 95 % of the offered messages are sent, acked or delivered, a socket is closed, a publish is
                refused, or the publish p99 passes 500 ms or ten times the first step's (and 50 ms). Shares are of the whole
                machine (50 % = one core of two) during the measured window; "machine" counts every process on it, other users' included.
                """);
        Map<String, Map<Integer, List<JsonNode>>> climbs = climbs(d.path("steps"));
        atSaturation(climbs, md);
        atCommonRate(climbs, md);
        md.append("\n## Every step\n\n| target | repeat | offered msg/s | sent | acked | delivered / owed | acked/s | publish p50 ms | p99 | p99.9")
                .append(" | delivery p99 ms | Redis µs/msg (masters + replicas) | nodes µs/msg | generator µs/msg | Redis | nodes | generator")
                .append(" | machine | saturated |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode s : d.path("steps")) {
            md.append(String.format("| %s | %d | %,d | %,d | %,d | %,d / %,d | %,.0f | %s | %s | %s | %s | %.1f (%.1f + %.1f) | %.1f | %.1f | %s | %s | %s | %s | %s |%n",
                    s.path("target").asText(), s.path("repeat").asInt(), s.path("offered").asInt(), s.path("published").asLong(),
                    s.path("acked").asLong(), s.path("delivered").asLong(), s.path("owed").asLong(), s.path("ackedPerSecond").asDouble(),
                    ms(s.path("ackMillis"), "p50"), ms(s.path("ackMillis"), "p99"), ms(s.path("ackMillis"), "p999"),
                    ms(s.path("deliveryMillis"), "p99"), s.path("redisMicros").asDouble(), s.path("redisMastersMicros").asDouble(),
                    s.path("redisReplicasMicros").asDouble(), s.path("nodeMicros").asDouble(), s.path("generatorMicros").asDouble(),
                    pct(s, "redisShare"), pct(s, "nodeShare"), pct(s, "generatorShare"), pct(s, "machineBusy"),
                    s.path("saturatedBy").isTextual() ? s.path("saturatedBy").asText() + "; limit: " + s.path("bottleneck").asText() : ""));
        }
        for (JsonNode f : d.path("failures")) {
            md.append("\nFailed: ").append(f.asText()).append("\n");
        }
        return md.toString();
    }

    /** target → repeat → its steps in climb order. */
    private static Map<String, Map<Integer, List<JsonNode>>> climbs(JsonNode steps) {
        Map<String, Map<Integer, List<JsonNode>>> climbs = new LinkedHashMap<>();
        for (JsonNode s : steps) {
            climbs.computeIfAbsent(s.path("target").asText(), k -> new TreeMap<>())
                    .computeIfAbsent(s.path("repeat").asInt(), k -> new ArrayList<>()).add(s);
        }
        return climbs;
    }

    /** The unsaturated step with the most acked messages per second; null when the first step saturated. */
    static JsonNode sustained(List<JsonNode> climb) {
        JsonNode best = null;
        for (JsonNode s : climb) {
            if (!s.path("saturatedBy").isTextual() && (best == null || s.path("ackedPerSecond").asDouble() > best.path("ackedPerSecond").asDouble())) {
                best = s;
            }
        }
        return best;
    }

    private static void atSaturation(Map<String, Map<Integer, List<JsonNode>>> climbs, StringBuilder md) {
        md.append("\n## At saturation: the best step that kept up\n\nMedian (min–max) over repeats of each repeat's best unsaturated step;")
                .append(" then what stopped each climb.\n\n| target | repeats | msg/s through the bus | Redis µs/msg | nodes µs/msg |")
                .append(" generator µs/msg | publish p50 ms | publish p99 ms | generator share | machine busy | what stopped the climb |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        climbs.forEach((target, byRepeat) -> {
            List<JsonNode> best = byRepeat.values().stream().map(BusReport::sustained).filter(s -> s != null).toList();
            List<String> stops = new ArrayList<>();
            byRepeat.forEach((repeat, climb) -> {
                JsonNode last = climb.get(climb.size() - 1);
                stops.add("r" + repeat + ": " + (last.path("saturatedBy").isTextual()
                        ? String.format("%,d offered: %s; limit: %s", last.path("offered").asInt(), last.path("saturatedBy").asText(),
                                last.path("bottleneck").asText())
                        : String.format("kept up to %,d offered", last.path("offered").asInt())));
            });
            md.append(String.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", target, byRepeat.size(),
                    spread(best, s -> s.path("ackedPerSecond").asDouble(), "%,.0f", 1), spread(best, s -> s.path("redisMicros").asDouble(), "%.1f", 1),
                    spread(best, s -> s.path("nodeMicros").asDouble(), "%.1f", 1), spread(best, s -> s.path("generatorMicros").asDouble(), "%.1f", 1),
                    spread(best, s -> s.path("ackMillis").path("p50").asDouble(), "%.2f", 1),
                    spread(best, s -> s.path("ackMillis").path("p99").asDouble(), "%.2f", 1),
                    spread(best, s -> s.path("generatorShare").asDouble(), "%.0f %%", 100), spread(best, s -> s.path("machineBusy").asDouble(), "%.0f %%", 100),
                    String.join("<br>", stops)));
        });
    }

    /** The highest offered rate no target saturated at in any repeat: the same load, so the prices compare. */
    static Integer commonRate(Map<String, Map<Integer, List<JsonNode>>> climbs) {
        TreeSet<Integer> common = null;
        for (Map<Integer, List<JsonNode>> byRepeat : climbs.values()) {
            for (List<JsonNode> climb : byRepeat.values()) {
                TreeSet<Integer> kept = new TreeSet<>();
                climb.stream().filter(s -> !s.path("saturatedBy").isTextual()).forEach(s -> kept.add(s.path("offered").asInt()));
                if (common == null) {
                    common = kept;
                } else {
                    common.retainAll(kept);
                }
            }
        }
        return common == null || common.isEmpty() ? null : common.last();
    }

    private static void atCommonRate(Map<String, Map<Integer, List<JsonNode>>> climbs, StringBuilder md) {
        Integer rate = commonRate(climbs);
        if (rate == null) {
            md.append("\nNo offered rate was sustained by every target in every repeat: no common rate to compare prices at.\n");
            return;
        }
        md.append(String.format("%n## At %,d msg/s offered: the same load on both%n%nThe highest rate every target sustained in every repeat;", rate))
                .append(" median (min–max) over repeats.\n\n| target | Redis µs/msg | masters | replicas | nodes µs/msg | generator µs/msg |")
                .append(" publish p50 ms | publish p99 ms | delivery p99 ms | Redis share | nodes share | generator share | delivered / owed |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        climbs.forEach((target, byRepeat) -> {
            List<JsonNode> at = byRepeat.values().stream().flatMap(List::stream).filter(s -> s.path("offered").asInt() == rate).toList();
            long delivered = at.stream().mapToLong(s -> s.path("delivered").asLong()).sum();
            long owed = at.stream().mapToLong(s -> s.path("owed").asLong()).sum();
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %,d / %,d |%n", target,
                    spread(at, s -> s.path("redisMicros").asDouble(), "%.1f", 1), spread(at, s -> s.path("redisMastersMicros").asDouble(), "%.1f", 1),
                    spread(at, s -> s.path("redisReplicasMicros").asDouble(), "%.1f", 1), spread(at, s -> s.path("nodeMicros").asDouble(), "%.1f", 1),
                    spread(at, s -> s.path("generatorMicros").asDouble(), "%.1f", 1), spread(at, s -> s.path("ackMillis").path("p50").asDouble(), "%.2f", 1),
                    spread(at, s -> s.path("ackMillis").path("p99").asDouble(), "%.2f", 1),
                    spread(at, s -> s.path("deliveryMillis").path("p99").asDouble(), "%.2f", 1),
                    spread(at, s -> s.path("redisShare").asDouble(), "%.0f %%", 100), spread(at, s -> s.path("nodeShare").asDouble(), "%.0f %%", 100),
                    spread(at, s -> s.path("generatorShare").asDouble(), "%.0f %%", 100), delivered, owed));
        });
    }

    private static String spread(List<JsonNode> steps, Function<JsonNode, Double> value, String format, double scale) {
        return BenchReport.spread(steps.stream().map(value).filter(v -> !v.isNaN()).toList(), format, scale);
    }

    /** The charts against the offered rate, one series per target and repeat, then the summary as text. */
    static String html(Map<String, Object> data) {
        JsonNode d = new ObjectMapper().valueToTree(data);
        SvgChart acked = new SvgChart("Messages acked per second", "offered msg/s", "acked/s", false);
        SvgChart p99 = new SvgChart("Publish p99 (ack)", "offered msg/s", "ms", true);
        SvgChart redis = new SvgChart("Redis CPU per message (all its processes)", "offered msg/s", "µs", false);
        for (JsonNode s : d.path("steps")) {
            String series = s.path("target").asText() + " r" + s.path("repeat").asInt();
            double x = s.path("offered").asDouble();
            acked.point(series, x, s.path("ackedPerSecond").asDouble());
            p99.point(series, x, s.path("ackMillis").path("p99").asDouble(Double.NaN));
            redis.point(series, x, s.path("redisMicros").asDouble(Double.NaN));
        }
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>wslab bench bus</title><style>
                body { font-family: sans-serif; margin: 1.5em; } figure { display: inline-block; margin: 0 1em 1em 0; }
                figcaption { font-weight: bold; } svg text { font-size: 11px; } pre { font-size: 12px; }
                </style></head><body><h1>wslab bench: the bus</h1>
                """ + acked.svg() + p99.svg() + redis.svg() + "<pre>" + SvgChart.escape(markdown(data)) + "</pre></body></html>\n";
    }

    private static String ms(JsonNode latency, String key) {
        return Cells.number(latency.path(key), "%.2f");
    }

    private static String pct(JsonNode step, String key) {
        return String.format("%.0f %%", 100 * step.path(key).asDouble());
    }
}
