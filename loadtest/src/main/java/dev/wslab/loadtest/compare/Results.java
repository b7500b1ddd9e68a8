package dev.wslab.loadtest.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the run records into the comparison's files: {@code data.json} (every run, every figure),
 * {@code summary.md} (per experiment, the configurations side by side, min / median / max over the
 * repeats) and {@code report.html} (the same with charts, self-contained).
 */
public final class Results {
    /** min, median and max of the repeats' values; null where no repeat had a value. */
    public record Spread3(Double min, Double median, Double max, int n) {
        static Spread3 of(List<Double> values) {
            List<Double> v = values.stream().filter(Objects::nonNull).sorted().toList();
            if (v.isEmpty()) {
                return new Spread3(null, null, null, 0);
            }
            int mid = v.size() / 2;
            double median = v.size() % 2 == 1 ? v.get(mid) : (v.get(mid - 1) + v.get(mid)) / 2;
            return new Spread3(v.get(0), median, v.get(v.size() - 1), v.size());
        }

        String cell() {
            if (median == null) {
                return "—";
            }
            if (Objects.equals(Measure.format(min), Measure.format(max))) {
                return Measure.format(median);
            }
            return Measure.format(median) + " (" + Measure.format(min) + "–" + Measure.format(max) + ")";
        }
    }

    private final Plan plan;
    private final List<RunRecord> records;
    private final Map<String, String> machine;

    public Results(Plan plan, List<RunRecord> records, Map<String, String> machine) {
        this.plan = plan;
        this.records = List.copyOf(records);
        this.machine = machine;
    }

    /** experiment → measure key → configuration → spread over repeats; only measures some run has. */
    public Map<String, Map<String, Map<String, Spread3>>> table() {
        Map<String, Map<String, Map<String, Spread3>>> table = new LinkedHashMap<>();
        for (Experiment experiment : plan.selected()) {
            Map<String, Map<String, Spread3>> rows = new LinkedHashMap<>();
            for (Measure measure : Measure.ALL) {
                Map<String, Spread3> row = new LinkedHashMap<>();
                boolean any = false;
                for (Configuration c : experiment.configurations()) {
                    List<Double> values = new ArrayList<>();
                    for (RunRecord r : records) {
                        if (r.experiment().equals(experiment.name()) && r.configuration().equals(c.name())) {
                            values.add(measure.read().apply(r));
                        }
                    }
                    Spread3 s = Spread3.of(values);
                    any |= s.n() > 0;
                    row.put(c.name(), s);
                }
                if (any) {
                    rows.put(measure.key(), row);
                }
            }
            table.put(experiment.name(), rows);
        }
        return table;
    }

    public void write(Path dir, String command) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("command", command);
            data.put("machine", machine);
            data.put("plan", Map.of("experiments", plan.experiments(), "repeats", plan.repeats(),
                    "rampSeconds", plan.ramp().toSeconds(), "durationSeconds", plan.duration().toSeconds(),
                    "users", plan.users(), "seed", plan.seed(), "load", plan.load()));
            data.put("measures", Measure.ALL.stream().map(m -> Map.of("key", m.key(), "label", m.label(), "unit", m.unit())).toList());
            data.put("table", table());
            List<Map<String, Object>> runs = new ArrayList<>();
            for (RunRecord r : records) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("experiment", r.experiment());
                run.put("configuration", r.configuration());
                run.put("repeat", r.repeat());
                run.put("position", r.position());
                run.put("succeeded", r.gatling().succeeded());
                run.put("measuredFrom", r.gatling().measuredFrom());
                run.put("measuredUntil", r.gatling().measuredUntil());
                run.put("gatlingRequests", r.gatling().requests());
                run.put("gatlingKo", r.gatling().ko());
                run.put("gatlingReport", r.gatling().report() == null ? null : dir.relativize(r.gatling().report()).toString());
                run.put("server", r.server());
                run.put("haproxyNewSessions", r.haproxySessions());
                Map<String, Double> figures = new LinkedHashMap<>();
                Measure.ALL.forEach(m -> figures.put(m.key(), m.read().apply(r)));
                run.put("figures", figures);
                run.put("scenario", r.gatling().wslab());
                Double faultAt = r.serverValue("fault_at_sample_ms");
                if (faultAt != null) {
                    run.put("timeline", Timelines.spread(r.dir().resolve("samples.csv"), faultAt));
                    List<double[]> share = Timelines.joinedShare(r.dir().resolve("samples.csv"), faultAt);
                    if (!share.isEmpty()) {
                        run.put("joinedShare", share);
                    }
                }
                runs.add(run);
            }
            data.put("runs", runs);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            String dataJson = json.writeValueAsString(data);
            Files.writeString(dir.resolve("data.json"), dataJson);
            Files.writeString(dir.resolve("summary.md"), summaryMarkdown(dir, command));
            Files.writeString(dir.resolve("report.html"), Report.html(dataJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String summaryMarkdown(Path dir, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# wslab compare\n\n");
        md.append("Command: `").append(command).append("`  \n");
        machine.forEach((k, v) -> md.append(k).append(": ").append(v).append("  \n"));
        md.append("\nEach cell: median (min–max) over ").append(plan.repeats())
                .append(" repeats; configurations ran in alternating order. Same seed and load for every configuration.\n");
        Map<String, Map<String, Map<String, Spread3>>> table = table();
        for (Experiment experiment : plan.selected()) {
            md.append("\n## ").append(experiment.name()).append("\n\n").append(experiment.question()).append("  \n");
            md.append("Load: ").append(experiment.load()).append(experiment.fault() == null ? ""
                    : "; a third into the measured phase: " + experiment.fault().description()).append("\n\n");
            md.append("| measure | unit |");
            experiment.configurations().forEach(c -> md.append(' ').append(c.name()).append(" |"));
            md.append("\n|---|---|");
            experiment.configurations().forEach(c -> md.append("---|"));
            md.append('\n');
            table.get(experiment.name()).forEach((key, row) -> {
                Measure m = Measure.ALL.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
                md.append("| ").append(m.label()).append(" | ").append(m.unit()).append(" |");
                row.values().forEach(s -> md.append(' ').append(s.cell()).append(" |"));
                md.append('\n');
            });
            md.append("\nConfigurations: ");
            experiment.configurations().forEach(c -> md.append("**").append(c.name()).append("** ").append(c.description()).append("; "));
            md.append("\n\nGatling reports: ");
            for (RunRecord r : records) {
                if (r.experiment().equals(experiment.name()) && r.gatling().report() != null) {
                    md.append("[").append(r.configuration()).append(" r").append(r.repeat()).append("](")
                            .append(dir.relativize(r.gatling().report())).append(") ");
                }
            }
            md.append('\n');
        }
        long failed = records.stream().filter(r -> !r.gatling().succeeded()).count();
        if (failed > 0) {
            md.append("\n**").append(failed).append(" run(s) failed**; their logs are under runs/.\n");
        }
        return md.toString();
    }
}
