package dev.wslab.loadtest.compare;

import dev.wslab.loadtest.compare.LoadSampler.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Series over a run's time for the report's line charts, from its samples.csv
 * ({@link LoadSampler#csv}) read back into samples: each point is [seconds since the fault, value].
 * A run without samples has none.
 */
final class Timelines {
    /** The window of each point of the joining node's share: about the arrivals of a second. */
    static final long SHARE_WINDOW_MS = 1000;
    /** samples.csv sums each node's sessions over the backends: read back, they are this one's. */
    private static final String ALL = "all";

    private Timelines() {
    }

    /** The connection spread: the CV of the counts of the nodes that answered and were not draining. */
    static List<double[]> spread(Path samplesCsv, double faultAtSampleMs) {
        List<double[]> points = new ArrayList<>();
        for (Sample s : read(samplesCsv)) {
            List<Long> counts = s.serving();
            if (counts.size() >= 2) {
                double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
                double var = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size();
                points.add(new double[] {(s.at() - faultAtSampleMs) / 1000.0, mean == 0 ? 0 : Math.sqrt(var) / mean});
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
        List<Sample> samples = read(samplesCsv);
        List<double[]> points = new ArrayList<>();
        String key = SampleFigures.joinedNode(samples, (long) faultAtSampleMs).map(node -> ALL + "/" + node).orElse(null);
        if (key == null) {
            return points;
        }
        int first = SampleFigures.firstGain(samples, key, (long) faultAtSampleMs);
        if (first < 0) {
            return points;
        }
        Sample start = samples.get(first);
        for (Sample s : samples.subList(first + 1, samples.size())) {
            if (s.sessions().isEmpty() || s.at() - start.at() < SHARE_WINDOW_MS) {
                continue;
            }
            long all = SampleFigures.total(s, ALL) - SampleFigures.total(start, ALL);
            long mine = s.sessions().getOrDefault(key, 0L) - start.sessions().getOrDefault(key, 0L);
            // HAProxy restarted in the window (its counters start again): no point rather than a wrong one.
            if (all > 0 && mine >= 0) {
                points.add(new double[] {(s.at() - faultAtSampleMs) / 1000.0, 100.0 * mine / all});
            }
            start = s;
        }
        return points;
    }

    /** The samples back from their csv: absent fields stay absent (-1 for Redis's counters). */
    static List<Sample> read(Path samplesCsv) {
        List<Sample> samples = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(samplesCsv);
            if (lines.isEmpty()) {
                return samples;
            }
            List<String> header = List.of(lines.get(0).split(",", -1));
            List<String> nodes = header.stream().filter(h -> !h.equals("ms") && !h.contains("_")).toList();
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = List.of(line.split(",", -1));
                Map<String, Long> connections = new TreeMap<>();
                Map<String, Boolean> draining = new TreeMap<>();
                Map<String, Long> sessions = new TreeMap<>();
                for (String node : nodes) {
                    String c = field(f, header, node);
                    String d = field(f, header, node + "_draining");
                    String n = field(f, header, node + "_sessions");
                    if (!c.isEmpty()) {
                        connections.put(node, Long.parseLong(c));
                    }
                    if (!d.isEmpty()) {
                        draining.put(node, "1".equals(d));
                    }
                    if (!n.isEmpty()) {
                        sessions.put(ALL + "/" + node, Long.parseLong(n));
                    }
                }
                String commands = field(f, header, "redis_commands");
                samples.add(new Sample(Long.parseLong(f.get(0)), connections, draining,
                        commands.isEmpty() ? -1 : Long.parseLong(commands), -1, sessions, -1));
            }
        } catch (IOException e) {
            // no samples for this run: no line in its charts
        }
        return samples;
    }

    /** A field of a csv line by its column's name; empty when the column is absent (an older samples.csv). */
    private static String field(List<String> line, List<String> header, String column) {
        int i = header.indexOf(column);
        return i < 0 || i >= line.size() ? "" : line.get(i);
    }
}
