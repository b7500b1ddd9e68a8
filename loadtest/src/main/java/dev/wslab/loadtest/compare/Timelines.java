package dev.wslab.loadtest.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Series over a run's time, read back from its samples.csv ({@link LoadSampler#write}) for the
 * report's line charts: each point is [seconds since the fault, value]. A run without samples has
 * none.
 */
final class Timelines {
    /** The window of each point of the joining node's share: about the arrivals of a second. */
    static final long SHARE_WINDOW_MS = 1000;

    private final List<String> nodes = new ArrayList<>();
    private final List<Map<String, String>> rows = new ArrayList<>();

    private Timelines(Path samplesCsv) {
        try {
            List<String> lines = Files.readAllLines(samplesCsv);
            if (lines.isEmpty()) {
                return;
            }
            String[] header = lines.get(0).split(",", -1);
            for (String h : header) {
                if (!h.equals("ms") && !h.contains("_")) {
                    nodes.add(h);
                }
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < f.length; i++) {
                    row.put(header[i], f[i]);
                }
                rows.add(row);
            }
        } catch (IOException e) {
            // no samples for this run: no line in its charts
        }
    }

    /** The connection spread: the CV of the counts of the nodes that answered and were not draining. */
    static List<double[]> spread(Path samplesCsv, double faultAtSampleMs) {
        Timelines t = new Timelines(samplesCsv);
        List<double[]> points = new ArrayList<>();
        for (Map<String, String> row : t.rows) {
            List<Long> counts = new ArrayList<>();
            for (String node : t.nodes) {
                String c = row.getOrDefault(node, "");
                if (!c.isEmpty() && !"1".equals(row.get(node + "_draining"))) {
                    counts.add(Long.parseLong(c));
                }
            }
            if (counts.size() >= 2) {
                double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
                double var = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size();
                points.add(new double[] {t.seconds(row, faultAtSampleMs), mean == 0 ? 0 : Math.sqrt(var) / mean});
            }
        }
        return points;
    }

    /**
     * The share (%) of new sessions that went to the node that joined after the fault, second by
     * second from its first one: how long a policy keeps surging onto it (leastconn until it is even,
     * random(2) less but longer, round robin its plain turn). Empty when no node joined.
     */
    static List<double[]> joinedShare(Path samplesCsv, double faultAtSampleMs) {
        Timelines t = new Timelines(samplesCsv);
        String joined = t.joinedNode(faultAtSampleMs);
        List<double[]> points = new ArrayList<>();
        if (joined == null) {
            return points;
        }
        Map<String, String> start = null;
        Map<String, String> previous = null;
        for (Map<String, String> row : t.rows) {
            if (t.sessions(row, joined) < 0 || ms(row) < faultAtSampleMs) {
                continue;
            }
            if (start == null && previous != null && t.sessions(row, joined) > t.sessions(previous, joined)) {
                start = previous;
            }
            previous = row;
            if (start == null || ms(row) - ms(start) < SHARE_WINDOW_MS) {
                continue;
            }
            long all = t.sessions(row, null) - t.sessions(start, null);
            long mine = t.sessions(row, joined) - t.sessions(start, joined);
            // HAProxy restarted in the window (its counters start again): no point rather than a wrong one.
            if (all > 0 && mine >= 0) {
                points.add(new double[] {t.seconds(row, faultAtSampleMs), 100.0 * mine / all});
            }
            start = row;
        }
        return points;
    }

    /** The node that answered no sample before the fault and answers after it; null unless exactly one. */
    private String joinedNode(double faultAtSampleMs) {
        TreeSet<String> before = new TreeSet<>();
        TreeSet<String> after = new TreeSet<>();
        for (Map<String, String> row : rows) {
            for (String node : nodes) {
                if (!row.getOrDefault(node, "").isEmpty()) {
                    (ms(row) < faultAtSampleMs ? before : after).add(node);
                }
            }
        }
        after.removeAll(before);
        return after.size() == 1 ? after.first() : null;
    }

    /** New sessions of {@code node} so far (every node's when null); -1 when HAProxy did not answer. */
    private long sessions(Map<String, String> row, String node) {
        long sum = 0;
        for (String n : node == null ? nodes : List.of(node)) {
            String v = row.getOrDefault(n + "_sessions", "");
            if (v.isEmpty()) {
                return -1;
            }
            sum += Long.parseLong(v);
        }
        return sum;
    }

    private static long ms(Map<String, String> row) {
        return Long.parseLong(row.get("ms"));
    }

    private double seconds(Map<String, String> row, double faultAtSampleMs) {
        return (ms(row) - faultAtSampleMs) / 1000.0;
    }
}
