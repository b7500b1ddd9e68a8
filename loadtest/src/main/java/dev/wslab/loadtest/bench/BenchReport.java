package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import dev.wslab.loadtest.report.SvgChart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * summary.md of a bench run (the machine, the fanout per target as a ratio of the floor, capacity)
 * and report.html, the same with charts.
 */
final class BenchReport {
    private BenchReport() {}

    /** The charts (inline SVG, one per figure), then the summary's tables as text. */
    static String html(Map<String, Object> data) {
        JsonNode d = new ObjectMapper().valueToTree(data);
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>wslab bench</title><style>
                body { font-family: sans-serif; margin: 1.5em; } figure { display: inline-block; margin: 0 1em 1em 0; }
                figcaption { font-weight: bold; } svg text { font-size: 11px; } pre { font-size: 12px; }
                </style></head><body><h1>wslab bench</h1>
                """);
        Map<Integer, SvgChart> read = new TreeMap<>();
        Map<Integer, SvgChart> p99 = new TreeMap<>();
        for (JsonNode s : d.path("fanout")) {
            int n = s.path("subscribers").asInt();
            String target = s.path("target").asText();
            double offered = (double) s.path("rate").asInt() * n;
            read.computeIfAbsent(n, k -> new SvgChart(String.format("%,d subscribers: frames read per second", k),
                    "offered deliveries/s", "read/s", false)).point(target, offered, s.path("receivedPerSecond").asDouble());
            p99.computeIfAbsent(n, k -> new SvgChart(String.format("%,d subscribers: delivery latency p99", k),
                    "offered deliveries/s", "ms", true)).point(target, offered, s.path("latencyMillis").path("p99").asDouble(Double.NaN));
        }
        read.forEach((n, chart) -> html.append(chart.svg()).append(p99.get(n).svg()));
        if (d.has("capacity")) {
            SvgChart perConnection = new SvgChart("Capacity: bytes per idle connection", "open connections", "bytes", false);
            SvgChart openTime = new SvgChart("Capacity: seconds to open each step", "open connections", "s", false);
            for (JsonNode s : d.path("capacity")) {
                perConnection.point("heap (live, after a full GC)", s.path("open").asDouble(), s.path("heapBytesPerConnection").asDouble(Double.NaN));
                perConnection.point("RSS", s.path("open").asDouble(), s.path("rssBytesPerConnection").asDouble(Double.NaN));
                openTime.point("node-1", s.path("open").asDouble(), s.path("openSeconds").asDouble());
            }
            html.append(perConnection.svg()).append(openTime.svg());
        }
        return html.append("<pre>").append(SvgChart.escape(markdown(data))).append("</pre></body></html>\n").toString();
    }

    static String markdown(Map<String, Object> data) {
        JsonNode d = new ObjectMapper().valueToTree(data);
        StringBuilder md = new StringBuilder("# wslab bench\n\n");
        md.append("Command: `").append(d.path("command").asText()).append("`  \n");
        d.path("machine").fields().forEachRemaining(e -> md.append(e.getKey()).append(": ").append(e.getValue().asText()).append("  \n"));
        md.append("Node JVM: ").append(d.path("nodeJvm").asText()).append("; settings ").append(d.path("nodeSettings"))
                .append("; I/O threads (nodes and floors): ").append(d.path("ioThreads").asText("0")).append("\n");
        if (d.has("cost")) {
            BenchCostReport.markdown(d.path("cost"), d.path("costPlan"), md);
            BenchCostReport.threads(d.path("threads"), md);
            BenchCostReport.profiles(d.path("profiles"), md);
        }
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
        md.append("\n## Fanout: what each target sustains\n\n")
                .append("**Sustained**: the best step with ≥ 95 % of the owed deliveries arriving, no socket closed and p99")
                .append(" under 500 ms. **Peak**: the most frames per second the subscribers read in any step, backlog")
                .append(" included — past saturation, the most the target delivers. Ratios are to the floor's figure")
                .append(" for the same subscriber count in the same repeat. With repeats, each cell is the median")
                .append(" (min–max); latencies are those of the median repeat's sustained step.\n\n")
                .append("| subscribers | target | repeats | sustained deliveries/s | of the floor | p50 ms | p99 ms | p99.9 ms | peak read/s | of the floor | generator CPU at peak |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        // subscribers → target → repeat → {best sustained step, peak step}
        Map<Integer, Map<String, Map<Integer, JsonNode[]>>> runs = new TreeMap<>();
        for (JsonNode s : steps) {
            JsonNode[] run = runs.computeIfAbsent(s.path("subscribers").asInt(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.path("target").asText(), k -> new TreeMap<>())
                    .computeIfAbsent(s.path("repeat").asInt(1), k -> new JsonNode[2]);
            if (!s.path("saturated").asBoolean() && (run[0] == null || s.path("deliveriesPerSecond").asDouble() > run[0].path("deliveriesPerSecond").asDouble())) {
                run[0] = s;
            }
            if (run[1] == null || s.path("receivedPerSecond").asDouble() > run[1].path("receivedPerSecond").asDouble()) {
                run[1] = s;
            }
        }
        runs.forEach((n, byTarget) -> {
            Map<Integer, JsonNode[]> floor = byTarget.get("floor");
            byTarget.forEach((target, byRepeat) -> {
                List<Double> sustained = new ArrayList<>();
                List<Double> sustainedRatio = new ArrayList<>();
                List<Double> peak = new ArrayList<>();
                List<Double> peakRatio = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                List<JsonNode> sustainedSteps = new ArrayList<>();
                byRepeat.forEach((repeat, run) -> {
                    JsonNode[] f = floor == null ? null : floor.get(repeat);
                    if (run[0] != null) {
                        sustained.add(run[0].path("deliveriesPerSecond").asDouble());
                        sustainedSteps.add(run[0]);
                        if (f != null && f[0] != null) {
                            sustainedRatio.add(run[0].path("deliveriesPerSecond").asDouble() / f[0].path("deliveriesPerSecond").asDouble());
                        }
                    }
                    peak.add(run[1].path("receivedPerSecond").asDouble());
                    cpu.add(run[1].path("generatorCpu").asDouble());
                    if (f != null) {
                        peakRatio.add(run[1].path("receivedPerSecond").asDouble() / f[1].path("receivedPerSecond").asDouble());
                    }
                });
                sustainedSteps.sort(java.util.Comparator.comparingDouble(x -> x.path("deliveriesPerSecond").asDouble()));
                JsonNode median = sustainedSteps.isEmpty() ? null : sustainedSteps.get(sustainedSteps.size() / 2);
                md.append(String.format("| %,d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", n, target, byRepeat.size(),
                        spread(sustained, "%,.0f", 1), spread(sustainedRatio, "%.0f %%", 100), ms(median, "p50"), ms(median, "p99"),
                        ms(median, "p999"), spread(peak, "%,.0f", 1), spread(peakRatio, "%.0f %%", 100), spread(cpu, "%.0f %%", 100)));
            });
        });
        md.append("\n### Every step\n\n");
        steps(steps, md);
    }

    /** One row per step, with its CPU prices: the climb's steps, or the cost run's. */
    static void steps(JsonNode steps, StringBuilder md) {
        md.append("| target | phase | repeat | subscribers | msg/s | owed | delivered | deliveries/s | read/s | p50 | p99 | p99.9 | max")
                .append(" | server µs/delivery | generator µs/delivery | generator CPU | saturated |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode s : steps) {
            md.append(String.format("| %s | %s | %d | %,d | %,d | %,d | %,d | %,.0f | %,.0f | %s | %s | %s | %s | %.2f | %.2f | %.0f %% | %s |%n",
                    s.path("target").asText(), s.path("phase").asText("rising"), s.path("repeat").asInt(1), s.path("subscribers").asInt(),
                    s.path("rate").asInt(), s.path("owed").asLong(), s.path("delivered").asLong(), s.path("deliveriesPerSecond").asDouble(),
                    s.path("receivedPerSecond").asDouble(), ms(s, "p50"), ms(s, "p99"), ms(s, "p999"), ms(s, "max"),
                    s.path("serverMicros").asDouble(Double.NaN), s.path("generatorMicros").asDouble(Double.NaN),
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

    /** "median (min–max)" of the values times {@code scale}, or the one value, or "none". */
    static String spread(List<Double> values, String format, double scale) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        String median = String.format(format, scale * sorted.get(sorted.size() / 2));
        return sorted.size() == 1 ? median : median + " (" + String.format(format, scale * sorted.get(0)) + "–"
                + String.format(format, scale * sorted.get(sorted.size() - 1)) + ")";
    }

    private static String ms(JsonNode step, String key) {
        if (step == null) {
            return "—";
        }
        return Cells.number(step.path("latencyMillis").path(key), "%.2f");
    }

    private static String bytes(JsonNode v) {
        return v.isNull() || v.isMissingNode() ? "—" : String.format("%,.0f", v.asDouble());
    }

    /** A bench part's files: data.json, summary.md and report.html in {@code results}; says where the summary is. */
    static void write(java.nio.file.Path results, java.util.Map<String, Object> data, String markdown, String html,
            java.io.PrintStream out) throws java.io.IOException {
        java.nio.file.Files.createDirectories(results);
        new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValue(results.resolve("data.json").toFile(), data);
        java.nio.file.Files.writeString(results.resolve("summary.md"), markdown);
        java.nio.file.Files.writeString(results.resolve("report.html"), html);
        out.println("bench: summary " + results.resolve("summary.md"));
    }
}
