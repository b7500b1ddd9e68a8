package dev.wslab.server.balance;

import dev.wslab.server.metrics.Metrics;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntUnaryOperator;

/**
 * Moves clients off this node while it holds more than its share. Each tick, if some node is outside
 * the tolerance around the mean and this one is above it, up to {@code ratePerTick} of its clients
 * are told to move (a {@code move} event with a jittered retry-after, then close 4002) and reconnect
 * through the load balancer, which places them on the emptier nodes.
 *
 * <p>Every overloaded node decides alone, from the same heartbeats, so the sum of what they shed is
 * what the cluster needs. It acts only while the cluster's total has been steady for
 * {@code steadyFor}: heartbeats are seconds old, so while clients arrive (a ramp) or leave, every
 * node sees its own live count ahead of, or behind, the others' and would move clients for a skew
 * that is only the heartbeats' lag (the first scale-out runs moved a third of their clients for
 * nothing that way). A scale-out or a restart leaves the total as it was, so it is acted on. Clients on their way (closed here, not yet counted elsewhere: the
 * heartbeats are seconds old) are added back into the total for {@code settle}, or the nodes would
 * see a smaller cluster, a lower mean, and shed too many.
 */
public final class Rebalancer {
    private static final System.Logger LOG = System.getLogger(Rebalancer.class.getName());
    /** Below this many connections per node the spread is noise, and moving clients costs more than it buys. */
    static final int MIN_PER_NODE = 10;

    private final String nodeId;
    private final ClusterView view;
    private final IntUnaryOperator move;
    private final Metrics metrics;
    private final Clock clock;
    private final double tolerance;
    private final int ratePerTick;
    private final Duration settle;
    private final Duration steadyFor;
    private final Deque<long[]> inFlight = new ArrayDeque<>();
    /** (time, cluster total) of recent rounds: is the total steady? */
    private final Deque<long[]> totals = new ArrayDeque<>();
    private long episodeStart;

    /**
     * @param move        asks up to n clients to move; answers how many it asked
     * @param tolerance   how far from the mean a node may be (0.1 = 10 %) before clients are moved
     * @param ratePerTick most clients moved per tick
     * @param settle      how long a moved client counts as in flight (retry window plus heartbeats)
     * @param steadyFor   how long the cluster's total must hold (within the tolerance) before clients are moved
     */
    public Rebalancer(String nodeId, ClusterView view, IntUnaryOperator move, Metrics metrics, Clock clock, double tolerance,
            int ratePerTick, Duration settle, Duration steadyFor) {
        this.steadyFor = steadyFor;
        this.nodeId = nodeId;
        this.view = view;
        this.move = move;
        this.metrics = metrics;
        this.clock = clock;
        this.tolerance = tolerance;
        this.ratePerTick = ratePerTick;
        this.settle = settle;
    }

    /** One round; returns how many clients it asked to move. Called from one thread at a time. */
    public synchronized int tick() {
        long now = clock.millis();
        while (!inFlight.isEmpty() && inFlight.peekFirst()[0] < now - settle.toMillis()) {
            inFlight.removeFirst();
        }
        Spread spread = view.spread();
        totals.addLast(new long[] {now, spread.total()});
        // Keep one round at or before the window's start, so a full window can be judged.
        while (totals.size() > 2 && secondOldest() <= now - steadyFor.toMillis()) {
            totals.removeFirst();
        }
        if (!view.known() || spread.nodes() < 2 || spread.total() < (long) MIN_PER_NODE * spread.nodes()
                || spread.balanced(tolerance)) {
            if (episodeStart > 0 && inFlight.isEmpty()) {
                metrics.rebalanced(now - episodeStart);
                LOG.log(Level.INFO, "event=rebalanced node=" + nodeId + " after_ms=" + (now - episodeStart)
                        + " maxmin=" + round(spread.maxOverMin()) + " cv=" + round(spread.cv()));
                episodeStart = 0;
            }
            return 0;
        }
        if (episodeStart == 0) {
            episodeStart = now;
            LOG.log(Level.INFO, "event=skew_detected node=" + nodeId + " nodes=" + spread.nodes() + " total="
                    + spread.total() + " max=" + spread.max() + " min=" + spread.min() + " mine=" + view.mine());
        }
        if (!steady(now)) {
            return 0;
        }
        long moving = inFlight.stream().mapToLong(e -> e[1]).sum();
        double mean = (double) (spread.total() + moving) / spread.nodes();
        long mine = view.mine();
        if (mine <= mean * (1 + tolerance)) {
            return 0;
        }
        int moved = move.applyAsInt((int) Math.min(ratePerTick, mine - Math.round(mean)));
        if (moved > 0) {
            inFlight.addLast(new long[] {now, moved});
            metrics.migrated(moved);
        }
        return moved;
    }

    private long secondOldest() {
        java.util.Iterator<long[]> it = totals.iterator();
        it.next();
        return it.next()[0];
    }

    /** The totals of the last {@code steadyFor} span that long and stay within the tolerance of each other. */
    private boolean steady(long now) {
        if (totals.isEmpty() || now - totals.peekFirst()[0] < steadyFor.toMillis()) {
            return false;
        }
        long max = totals.stream().mapToLong(t -> t[1]).max().orElse(0);
        long min = totals.stream().mapToLong(t -> t[1]).min().orElse(0);
        return max - min <= Math.max(1, Math.round(max * tolerance));
    }

    private static String round(double v) {
        return String.format("%.2f", v);
    }
}
