package dev.wslab.loadtest.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wslab.loadtest.report.SvgChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** soak.json (every sample, every verdict) and report.html (a chart per figure, the verdicts). */
final class SoakReport {
    private static final List<String> FIGURES = List.of(ResourceSampler.HEAP, ResourceSampler.FILES, ResourceSampler.THREADS,
            ResourceSampler.REDIS_MEMORY, ResourceSampler.REDIS_KEYS);

    private SoakReport() {}

    static void write(Path dir, Soak.Result result, Map<String, Object> context) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> data = new LinkedHashMap<>(context);
        data.put("plan", Map.of("durationSeconds", result.plan().duration().toSeconds(),
                "intervalSeconds", result.plan().interval().toSeconds(), "warmUpSeconds", result.plan().warmUp().toSeconds(),
                "users", result.plan().users()));
        data.put("nodeSettings", Soak.NODE_SETTINGS);
        data.put("load", result.load());
        data.put("verdicts", result.growth().stream().map(Growth::verdict).toList());
        data.put("leaks", result.leaks());
        data.put("samples", result.samples());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("soak.json").toFile(), data);
        Files.writeString(dir.resolve("report.html"), html(result, context));
    }

    private static String html(Soak.Result result, Map<String, Object> context) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>wslab soak</title>"
                + "<style>body{font-family:sans-serif;margin:2em}figure{display:inline-block;margin:1em}"
                + "td,th{padding:2px 8px;text-align:left}.grows{color:#b00;font-weight:bold}</style></head><body>\n");
        html.append("<h1>wslab soak: ").append(result.leaks() ? "a figure grows past its bound" : "no figure grows past its bound")
                .append("</h1>\n<p>").append(SvgChart.escape(String.valueOf(context))).append("</p>\n");
        html.append("<p>").append(result.plan().duration().toMinutes()).append(" min, ").append(result.plan().users())
                .append(" churning users, a sample every ").append(result.plan().interval().toSeconds())
                .append(" s; growth is fitted after a warm-up of ").append(result.plan().warmUp().toSeconds())
                .append(" s. A figure fails when its slope exceeds the bound by more than three standard errors. Load done: ")
                .append(SvgChart.escape(result.load().toString())).append("</p>\n<table><tr><th>verdict</th></tr>\n");
        for (Growth g : result.growth()) {
            html.append("<tr><td class=\"").append(g.leaks() ? "grows" : "ok").append("\">")
                    .append(SvgChart.escape(g.verdict())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (String figure : FIGURES) {
            SvgChart chart = new SvgChart(figure, "minutes", figure, false);
            for (Soak.Sample s : result.samples()) {
                s.values().forEach((name, v) -> {
                    if (name.startsWith(figure)) {
                        String label = name.equals(figure) ? figure : name.substring(figure.length() + 1);
                        chart.point(label, s.seconds() / 60, v);
                    }
                });
            }
            html.append(chart.svg());
        }
        return html.append("</body></html>\n").toString();
    }
}
