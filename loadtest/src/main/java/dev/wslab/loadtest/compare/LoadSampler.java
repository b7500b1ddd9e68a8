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
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param redisCommands  Redis's {@code total_commands_processed}, -1 when it did not answer
     * @param redisOutBytes  Redis's {@code total_net_output_bytes} (replies and pub/sub messages to every client), -1 likewise
     * @param sessions       HAProxy's sessions so far per "backend/server"; empty when its API did not answer
     * @param oldWorkers     HAProxy workers a reload left running with their connections; -1 when its master did not answer
     */
    record Sample(long at, Map<String, Long> connections, Map<String, Boolean> draining, long redisCommands, long redisOutBytes,
                  Map<String, Long> sessions, int oldWorkers) {
        Sample(long at, Map<String, Long> connections, Map<String, Boolean> draining, long redisCommands) {
            this(at, connections, draining, redisCommands, -1, Map.of(), -1);
        }

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
        long outBytes = -1;
        try {
            String info = String.valueOf(Resp.call(lab.host("redis"), topology.redisPort(), "INFO", "stats"));
            commands = infoField(info, "total_commands_processed");
            outBytes = infoField(info, "total_net_output_bytes");
        } catch (RuntimeException e) {
            // Redis restarting: no figure in this sample
        }
        Map<String, Long> sessions = Map.of();
        int oldWorkers = -1;
        try {
            sessions = lab.haproxy().sessionTotals();
            oldWorkers = lab.haproxyMaster().workers().old().size();
        } catch (RuntimeException e) {
            // HAProxy reloading or restarting: no figure in this sample
        }
        synchronized (samples) {
            samples.add(new Sample(System.currentTimeMillis(), connections, draining, commands, outBytes, sessions, oldWorkers));
        }
    }

    private static long infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
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
     * samples.csv: time since start, connections per node (empty when absent), draining, Redis
     * commands, and the new sessions HAProxy has given each node so far, all backends together
     * (empty when its API did not answer; a run's clients reach only its own backend).
     */
    void write(Path dir) {
        String csv = csv(nodes, samples());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("samples.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(List<String> nodes, List<Sample> all) {
        StringBuilder csv = new StringBuilder("ms");
        nodes.forEach(n -> csv.append(',').append(n));
        nodes.forEach(n -> csv.append(',').append(n).append("_draining"));
        csv.append(",redis_commands");
        nodes.forEach(n -> csv.append(',').append(n).append("_sessions"));
        csv.append('\n');
        long t0 = all.isEmpty() ? 0 : all.get(0).at();
        for (Sample s : all) {
            csv.append(s.at() - t0);
            nodes.forEach(n -> csv.append(',').append(s.connections().containsKey(n) ? s.connections().get(n).toString() : ""));
            nodes.forEach(n -> csv.append(',').append(s.draining().containsKey(n) ? (s.draining().get(n) ? "1" : "0") : ""));
            csv.append(',').append(s.redisCommands() >= 0 ? Long.toString(s.redisCommands()) : "");
            nodes.forEach(n -> csv.append(',').append(s.sessions().isEmpty() ? "" : Long.toString(sessionsOf(s, n))));
            csv.append('\n');
        }
        return csv.toString();
    }

    private static long sessionsOf(Sample s, String node) {
        return s.sessions().entrySet().stream().filter(e -> e.getKey().endsWith("/" + node)).mapToLong(Map.Entry::getValue).sum();
    }
}
