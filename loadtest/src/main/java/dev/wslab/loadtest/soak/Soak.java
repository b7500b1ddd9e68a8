package dev.wslab.loadtest.soak;

import dev.wslab.settings.NodeSettings;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A soak of the native lab: its nodes restarted with the soak's settings, the load run for the
 * whole duration while a sampler takes the lab's figures at a fixed interval, then each figure's
 * growth after warm-up held to its bound. The nodes get their usual settings back afterwards.
 */
public final class Soak {
    /**
     * Settings that let the lab reach a steady state within the warm-up: a room's history is full
     * after 50 messages (not 1,000, which the broadcasts would still be filling after the run), and
     * abandoned HTTP sessions expire after 5 s of silence rather than 45.
     */
    static final Map<String, String> NODE_SETTINGS = Map.of(NodeSettings.HISTORY_LENGTH.env(), "50",
            NodeSettings.PING_INTERVAL_MS.env(), "1000", NodeSettings.PING_TIMEOUT_MS.env(), "5000");

    /** @param users WebSocket users churning at once */
    public record Plan(Duration duration, Duration interval, Duration warmUp, int users) {
        public static Plan of(Duration duration, int users) {
            long seconds = duration.toSeconds();
            return new Plan(duration, Duration.ofSeconds(Math.max(5, seconds / 60)),
                    Duration.ofSeconds(Math.max(30, seconds / 5)), users);
        }
    }

    /** Each sample: seconds since the load started, and every series' value. */
    public record Sample(double seconds, Map<String, Double> values) {}

    public record Result(Plan plan, List<Sample> samples, List<Growth> growth, Map<String, Long> load) {
        public boolean leaks() {
            return growth.stream().anyMatch(Growth::leaks);
        }
    }

    private final LabTopology topology;
    private final PrintStream out;

    public Soak(LabTopology topology, PrintStream out) {
        this.topology = topology;
        this.out = out;
    }

    public Result run(Plan plan) throws IOException, InterruptedException {
        Lab lab = new Lab(topology.withNodeSettings(NODE_SETTINGS), out);
        lab.up();
        lab.restartNodes();
        try {
            return measure(plan);
        } finally {
            new Lab(topology, out).restartNodes();
        }
    }

    private Result measure(Plan plan) throws IOException, InterruptedException {
        ResourceSampler sampler = new ResourceSampler(topology);
        SoakLoad load = new SoakLoad(topology.host(), List.of(topology.stickyPort(), topology.roundRobinPort(),
                topology.weightedPort()), plan.users());
        long start = System.nanoTime();
        long deadline = start + plan.duration().toNanos();
        Map<String, Long>[] done = new Map[1];
        Thread runner = new Thread(() -> {
            try {
                done[0] = load.run(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-load");
        runner.start();
        List<Sample> samples = new ArrayList<>();
        for (long next = start; next <= deadline; next += plan.interval().toNanos()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Sample sample = new Sample((System.nanoTime() - start) / 1e9, sampler.sample());
            samples.add(sample);
            out.printf("soak: %4.0f s  %s%n", sample.seconds(), brief(sample.values()));
        }
        runner.join(plan.interval().toMillis() + 30_000);
        return new Result(plan, samples, growth(plan, samples), done[0] == null ? Map.of() : done[0]);
    }

    static List<Growth> growth(Plan plan, List<Sample> samples) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.seconds() >= plan.warmUp().toSeconds()) {
                s.values().forEach((name, v) -> series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {s.seconds(), v}));
            }
        }
        List<Growth> out = new ArrayList<>();
        series.forEach((name, points) -> out.add(Growth.of(name, ResourceSampler.boundPerHour(name), points)));
        return out;
    }

    private static String brief(Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (k.endsWith("node-1") || k.startsWith("Redis")) {
                b.append(k.replace(" node-1", "[1]")).append('=').append(String.format(java.util.Locale.ROOT, "%.1f", v)).append("  ");
            }
        });
        return b.toString().trim();
    }
}
