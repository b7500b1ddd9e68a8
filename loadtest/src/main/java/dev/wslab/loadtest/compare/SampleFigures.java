package dev.wslab.loadtest.compare;

import dev.wslab.loadtest.compare.LoadSampler.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the comparison reads off a run's {@link LoadSampler} samples: balance, Redis's load, HAProxy's placements. */
final class SampleFigures {
    /** Every non-draining node within this fraction of the mean: the rebalancer's default target. */
    static final double TOLERANCE = LoadSampler.TOLERANCE;
    /** The balance at the end must have held this long: a spread that merely passes through even does not count. */
    static final long HOLD_MS = 3000;

    private SampleFigures() {
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

    /** The figures the comparison reports from the samples, for the window of a run after its fault. */
    static Map<String, Double> figures(List<Sample> samples, long faultAt, long measuredUntil, String faultNode) {
        return figures(samples, 0, faultAt, measuredUntil, faultNode, null);
    }

    /**
     * The figures of a run: over its measured window ({@code measuredFrom} … {@code measuredUntil},
     * plus a second for the last deliveries) the bytes Redis sent its clients; after its fault, the
     * balance, Redis's peak and, when a node joined, the share of {@code backend}'s new sessions it took.
     */
    static Map<String, Double> figures(List<Sample> samples, long measuredFrom, long faultAt, long measuredUntil, String faultNode,
                                       String backend) {
        Map<String, Double> f = new LinkedHashMap<>();
        if (measuredFrom > 0) {
            put(f, "redis_out_bytes", redisOutBytes(samples, measuredFrom, measuredUntil + 1000));
        }
        if (faultAt > 0) {
            put(f, "old_worker_s", oldWorkerSeconds(samples, faultAt, measuredUntil));
        }
        if (faultAt > 0 && backend != null) {
            joinedNode(samples, faultAt).ifPresent(node -> {
                put(f, "joined_share_5s", joinedShare(samples, backend, node, faultAt, 5000));
                put(f, "joined_share_all", joinedShare(samples, backend, node, faultAt, Long.MAX_VALUE));
            });
        }
        if (faultAt > 0 && !samples.isEmpty()) {
            f.put("fault_at_sample_ms", (double) (faultAt - samples.get(0).at()));
        }
        if (faultAt > 0) {
            f.put("fault_at_ms", (double) faultAt);
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

    /** What Redis sent its clients between the samples nearest the window's ends (replies and pub/sub messages), or null. */
    static Double redisOutBytes(List<Sample> samples, long fromMillis, long untilMillis) {
        List<Sample> in = samples.stream().filter(s -> s.at() >= fromMillis && s.at() <= untilMillis && s.redisOutBytes() >= 0).toList();
        if (in.size() < 2) {
            return null;
        }
        long sent = in.get(in.size() - 1).redisOutBytes() - in.get(0).redisOutBytes();
        // A Redis restarted in the window starts its counter again: no figure rather than a wrong one.
        return sent < 0 ? null : (double) sent;
    }

    /**
     * Seconds from the fault to the last sample of the window in which HAProxy still ran an old
     * worker (a reload's, holding its tunnels); null when no sample after the fault saw one.
     */
    static Double oldWorkerSeconds(List<Sample> samples, long faultAt, long untilMillis) {
        Double last = null;
        for (Sample s : samples) {
            if (s.at() >= faultAt && s.at() <= untilMillis && s.oldWorkers() > 0) {
                last = (s.at() - faultAt) / 1000.0;
            }
        }
        return last;
    }

    /** The node that answered no sample before the fault and answers after it: the one a scale-out added. */
    static java.util.Optional<String> joinedNode(List<Sample> samples, long faultAt) {
        java.util.Set<String> before = new java.util.HashSet<>();
        java.util.TreeSet<String> after = new java.util.TreeSet<>();
        for (Sample s : samples) {
            (s.at() < faultAt ? before : after).addAll(s.connections().keySet());
        }
        after.removeAll(before);
        return after.size() == 1 ? java.util.Optional.of(after.first()) : java.util.Optional.empty();
    }

    /**
     * The share (%) of the backend's new sessions that went to {@code node}, over {@code windowMillis}
     * from its first new session after {@code fromMillis} on (HAProxy's counters run on from earlier
     * runs): how hard a policy surges onto a node that just joined. Null when HAProxy sent it no client.
     */
    static Double joinedShare(List<Sample> samples, String backend, String node, long fromMillis, long windowMillis) {
        String key = backend + "/" + node;
        int first = firstGain(samples, key, fromMillis);
        if (first < 0) {
            return null;
        }
        Sample start = samples.get(first);
        Sample last = null;
        for (Sample s : samples.subList(first + 1, samples.size())) {
            if (!s.sessions().isEmpty() && s.at() - start.at() <= windowMillis) {
                last = s;
            }
        }
        if (last == null) {
            return null;
        }
        long all = total(last, backend) - total(start, backend);
        long joined = last.sessions().getOrDefault(key, 0L) - start.sessions().getOrDefault(key, 0L);
        return all <= 0 ? null : 100.0 * joined / all;
    }

    /**
     * The index of the first sample after {@code fromMillis} in which {@code key}'s sessions grew
     * (-1 if none did): a joined node's share counts from there. Not from the sample before: the
     * arrivals of that sampling period went elsewhere while the node was not up yet, no part of
     * what a policy gives it (they made leastconn's first second 83 % in a smoke run).
     */
    static int firstGain(List<Sample> samples, String key, long fromMillis) {
        Sample previous = null;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.sessions().isEmpty() || s.at() < fromMillis) {
                continue;
            }
            if (previous != null && s.sessions().getOrDefault(key, 0L) > previous.sessions().getOrDefault(key, 0L)) {
                return i;
            }
            previous = s;
        }
        return -1;
    }

    static long total(Sample s, String backend) {
        return s.sessions().entrySet().stream().filter(e -> e.getKey().startsWith(backend + "/")).mapToLong(Map.Entry::getValue).sum();
    }

    private static void put(Map<String, Double> f, String key, Double value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
