package dev.wslab.server.balance;

import java.util.Collection;

/**
 * How unevenly connections sit on the nodes. {@code maxOverMin} counts an empty node as holding one
 * connection, so that a freshly added node reads as a large finite skew rather than infinity.
 */
public record Spread(int nodes, long total, long max, long min, double mean, double maxOverMin, double cv) {

    public static Spread of(Collection<Long> counts) {
        if (counts.isEmpty()) {
            return new Spread(0, 0, 0, 0, 0, 1, 0);
        }
        long total = 0;
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (long c : counts) {
            total += c;
            max = Math.max(max, c);
            min = Math.min(min, c);
        }
        double mean = (double) total / counts.size();
        double squares = 0;
        for (long c : counts) {
            squares += (c - mean) * (c - mean);
        }
        double cv = mean == 0 ? 0 : Math.sqrt(squares / counts.size()) / mean;
        return new Spread(counts.size(), total, max, min, mean, max == 0 ? 1 : (double) max / Math.max(1, min), cv);
    }

    /** Every node within {@code tolerance} (0.1 = 10 %) of the mean; a cluster of one always is. */
    public boolean balanced(double tolerance) {
        return nodes < 2 || (max <= Math.ceil(mean * (1 + tolerance)) && min >= Math.floor(mean * (1 - tolerance)));
    }
}
