package dev.wslab.loadtest.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies in fixed log-linear buckets (1 µs steps below 1 ms, 10 µs below 10 ms, 100 µs below
 * 100 ms, 1 ms up to 60 s): recording is an array increment, so one selector thread can record
 * every delivery of a saturating fanout without allocating. Percentiles are exact to the bucket.
 * Not thread-safe: one recording thread, read after it stopped.
 */
final class LatencyHistogram {
    private static final long[] BOUNDS_NANOS = {1_000_000L, 10_000_000L, 100_000_000L, 60_000_000_000L};
    private static final long[] STEP_NANOS = {1_000L, 10_000L, 100_000L, 1_000_000L};
    private final long[] counts;
    private final int[] offsets = new int[BOUNDS_NANOS.length];
    private long total;
    private long max;

    LatencyHistogram() {
        int size = 0;
        long lower = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            offsets[i] = size;
            size += (int) ((BOUNDS_NANOS[i] - lower) / STEP_NANOS[i]);
            lower = BOUNDS_NANOS[i];
        }
        counts = new long[size + 1];
    }

    void record(long nanos) {
        long v = Math.max(0, nanos);
        max = Math.max(max, v);
        total++;
        long lower = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            if (v < BOUNDS_NANOS[i]) {
                counts[offsets[i] + (int) ((v - lower) / STEP_NANOS[i])]++;
                return;
            }
            lower = BOUNDS_NANOS[i];
        }
        counts[counts.length - 1]++;
    }

    long count() {
        return total;
    }

    /** The upper edge of the bucket holding the q-quantile, in milliseconds; null when empty. */
    Double percentileMillis(double q) {
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upperEdgeNanos(b), max) / 1e6;
            }
        }
        return max / 1e6;
    }

    private long upperEdgeNanos(int bucket) {
        long lower = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            int end = i + 1 < offsets.length ? offsets[i + 1] : counts.length - 1;
            if (bucket < end) {
                return lower + (bucket - offsets[i] + 1) * STEP_NANOS[i];
            }
            lower = BOUNDS_NANOS[i];
        }
        return max;
    }

    Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", percentileMillis(0.50));
        m.put("p99", percentileMillis(0.99));
        m.put("p999", percentileMillis(0.999));
        m.put("max", total == 0 ? null : max / 1e6);
        return m;
    }
}
