package dev.wslab.loadtest.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Cluster;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the lab every {@value #PERIOD_MS} ms while a run goes on: each node's live connection count
 * and drain state (its {@code /admin/load}, not the seconds-old heartbeats) and Redis's command
 * counter. From the samples: how long after a fault the connections were spread evenly again, the
 * peak of commands per second Redis had to absorb, and the spread over time (samples.csv per run).
 */
final class LoadSampler implements AutoCloseable {
    static final long PERIOD_MS = 200;
    /** Every non-draining node within this fraction of the mean: the rebalancer's default target. */
    static final double TOLERANCE = 0.10;
    /** The balance at the end must have held this long: a spread that merely passes through even does not count. */
    static final long HOLD_MS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Sample(long at, Map<String, Long> connections, Map<String, Boolean> draining, long redisCommands) {
        /** Counts of the nodes that answered and are not draining. */
        List<Long> serving() {
            List<Long> counts = new ArrayList<>();
            connections.forEach((node, c) -> {
                if (!draining.getOrDefault(node, false)) {
                    counts.add(c);
                }
            });
            return counts;
        }

        boolean balanced() {
            List<Long> counts = serving();
            if (counts.size() < 2) {
                return true;
            }
            double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
            return counts.stream().allMatch(c -> c <= Math.ceil(mean * (1 + TOLERANCE)) && c >= Math.floor(mean * (1 - TOLERANCE)));
        }
    }

    private final Cluster lab;
    private final LabTopology topology;
    private final List<String> nodes;
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wslab-load-sampler");
        t.setDaemon(true);
        return t;
    });

    /** @param nodes every node that may answer during the run (a scale-out's new one included) */
    LoadSampler(Cluster lab, List<String> nodes) {
        this.lab = lab;
        this.topology = lab.topology();
        this.nodes = List.copyOf(nodes);
    }

    void start() {
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        Map<String, Long> connections = new TreeMap<>();
        Map<String, Boolean> draining = new TreeMap<>();
        for (String node : nodes) {
            try {
                lab.load(node).ifPresent(body -> {
                    try {
                        JsonNode load = JSON.readTree(body);
                        connections.put(node, load.path("connections").asLong());
                        draining.put(node, load.path("draining").asBoolean());
                    } catch (IOException e) {
                        // a node mid-restart may answer oddly: it is absent from this sample
                    }
                });
            } catch (RuntimeException e) {
                // a node the lab does not have (yet): absent from this sample
            }
        }
        long commands = -1;
        try {
            String info = String.valueOf(Resp.call(lab.host("redis"), topology.redisPort(), "INFO", "stats"));
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    commands = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (RuntimeException e) {
            // Redis restarting: no figure in this sample
        }
        synchronized (samples) {
            samples.add(new Sample(System.currentTimeMillis(), connections, draining, commands));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /**
     * Milliseconds from {@code fromMillis} (the fault) to the start of the balanced stretch that lasts
     * until {@code untilMillis}, if it lasts at least {@link #HOLD_MS}: when the cluster became even
     * and stayed so. 0 if it never left balance; null if it is not balanced at the end (a restarted
     * node that stays emptier, a new node nobody moves to).
     */
    static Double timeToBalance(List<Sample> samples, long fromMillis, long untilMillis) {
        Long since = null;
        boolean sawUnbalanced = false;
        long last = -1;
        for (Sample s : samples) {
            if (s.at() < fromMillis || s.at() > untilMillis) {
                continue;
            }
            last = s.at();
            if (s.balanced()) {
                if (since == null) {
                    since = s.at();
                }
            } else {
                sawUnbalanced = true;
                since = null;
            }
        }
        if (since == null || last - since < HOLD_MS) {
            return null;
        }
        return sawUnbalanced ? (double) (since - fromMillis) : 0.0;
    }

    /** The most Redis commands within any one second of the window. */
    static Double redisPeakPerSecond(List<Sample> samples, long fromMillis, long untilMillis) {
        List<Sample> in = samples.stream().filter(s -> s.at() >= fromMillis && s.at() <= untilMillis && s.redisCommands() >= 0).toList();
        double peak = 0;
        for (int i = 0, j = 0; i < in.size(); i++) {
            while (j + 1 < in.size() && in.get(j + 1).at() - in.get(i).at() <= 1000) {
                j++;
            }
            long span = in.get(j).at() - in.get(i).at();
            if (span >= 800) {
                peak = Math.max(peak, (in.get(j).redisCommands() - in.get(i).redisCommands()) * 1000.0 / span);
            }
        }
        return in.size() < 2 ? null : peak;
    }

    /** Redis commands per second over the window, on average (the load before a fault). */
    static Double redisRate(List<Sample> samples, long fromMillis, long untilMillis) {
        List<Sample> in = samples.stream().filter(s -> s.at() >= fromMillis && s.at() <= untilMillis && s.redisCommands() >= 0).toList();
        if (in.size() < 2 || in.get(in.size() - 1).at() - in.get(0).at() < 1000) {
            return null;
        }
        Sample first = in.get(0);
        Sample last = in.get(in.size() - 1);
        return (last.redisCommands() - first.redisCommands()) * 1000.0 / (last.at() - first.at());
    }

    /** Connections on {@code node} in the last sample of the window (a drained node: who never left). */
    static Double connectionsAt(List<Sample> samples, String node, long untilMillis) {
        Double last = null;
        for (Sample s : samples) {
            if (s.at() <= untilMillis && s.connections().containsKey(node)) {
                last = (double) s.connections().get(node);
            }
        }
        return last;
    }

    /** The largest max/min of the serving nodes' counts in the window (an empty node counts as 1). */
    static Double worstMaxOverMin(List<Sample> samples, long fromMillis, long untilMillis) {
        Double worst = null;
        for (Sample s : samples) {
            List<Long> counts = s.serving();
            if (s.at() < fromMillis || s.at() > untilMillis || counts.size() < 2) {
                continue;
            }
            long max = counts.stream().mapToLong(Long::longValue).max().orElse(0);
            long min = counts.stream().mapToLong(Long::longValue).min().orElse(0);
            double r = max == 0 ? 1 : (double) max / Math.max(1, min);
            worst = worst == null ? r : Math.max(worst, r);
        }
        return worst;
    }

    /** samples.csv: time since start, connections per node (empty when absent), draining, Redis commands. */
    void write(Path dir) {
        List<Sample> all = samples();
        StringBuilder csv = new StringBuilder("ms");
        nodes.forEach(n -> csv.append(',').append(n));
        nodes.forEach(n -> csv.append(',').append(n).append("_draining"));
        csv.append(",redis_commands\n");
        long t0 = all.isEmpty() ? 0 : all.get(0).at();
        for (Sample s : all) {
            csv.append(s.at() - t0);
            nodes.forEach(n -> csv.append(',').append(s.connections().containsKey(n) ? s.connections().get(n).toString() : ""));
            nodes.forEach(n -> csv.append(',').append(s.draining().containsKey(n) ? (s.draining().get(n) ? "1" : "0") : ""));
            csv.append(',').append(s.redisCommands() >= 0 ? Long.toString(s.redisCommands()) : "").append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("samples.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The figures the comparison reports from the samples, for the window of a run after its fault. */
    static Map<String, Double> figures(List<Sample> samples, long faultAt, long measuredUntil, String faultNode) {
        Map<String, Double> f = new LinkedHashMap<>();
        if (faultAt > 0 && !samples.isEmpty()) {
            f.put("fault_at_sample_ms", (double) (faultAt - samples.get(0).at()));
        }
        if (faultAt > 0) {
            put(f, "time_to_balance_ms", timeToBalance(samples, faultAt, measuredUntil));
            put(f, "worst_maxmin", worstMaxOverMin(samples, faultAt, measuredUntil));
            Double peak = redisPeakPerSecond(samples, faultAt, measuredUntil);
            Double before = redisRate(samples, faultAt - 5000, faultAt);
            put(f, "redis_peak_ops", peak);
            put(f, "redis_peak_over_base", peak == null || before == null || before == 0 ? null : peak / before);
            if (faultNode != null) {
                put(f, "fault_node_left", connectionsAt(samples, faultNode, measuredUntil));
            }
        }
        return f;
    }

    /**
     * The spread over time from a run's samples.csv: [seconds since the fault, CV] per sample, CV over
     * the nodes that answered and were not draining. Empty without a fault or samples.
     */
    static List<double[]> timeline(Path samplesCsv, double faultAtSampleMs) {
        List<double[]> points = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(samplesCsv);
            if (lines.size() < 2) {
                return points;
            }
            String[] header = lines.get(0).split(",", -1);
            int nodes = (int) java.util.Arrays.stream(header).filter(h -> h.startsWith("node-") && !h.endsWith("_draining")).count();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                List<Long> counts = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    if (!f[1 + i].isEmpty() && !"1".equals(f[1 + nodes + i])) {
                        counts.add(Long.parseLong(f[1 + i]));
                    }
                }
                if (counts.size() >= 2) {
                    double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
                    double var = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size();
                    points.add(new double[] {(Long.parseLong(f[0]) - faultAtSampleMs) / 1000.0, mean == 0 ? 0 : Math.sqrt(var) / mean});
                }
            }
        } catch (IOException e) {
            // no samples for this run: no line in its chart
        }
        return points;
    }

    private static void put(Map<String, Double> f, String key, Double value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
