package dev.wslab.server.balance;

import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.ws.Connection;
import dev.wslab.server.ws.ConnectionRegistry;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Moves clients off this node while it holds more than its share. Each tick, if some node is outside
 * the tolerance around the mean and this one is above it, up to {@code ratePerTick} of its clients
 * are told to move (a {@code move} event with a jittered retry-after, then close 4002) and reconnect
 * through the load balancer, which places them on the emptier nodes.
 *
 * <p>Every overloaded node decides alone, from the same heartbeats, so the sum of what they shed is
 * what the cluster needs. Clients on their way (closed here, not yet counted elsewhere: the
 * heartbeats are seconds old) are added back into the total for {@code settle}, or the nodes would
 * see a smaller cluster, a lower mean, and shed too many.
 */
public final class Rebalancer {
    private static final System.Logger LOG = System.getLogger(Rebalancer.class.getName());
    /** Below this many connections per node the spread is noise, and moving clients costs more than it buys. */
    static final int MIN_PER_NODE = 10;

    private final String nodeId;
    private final ClusterView view;
    private final ConnectionRegistry connections;
    private final BiConsumer<Connection, Long> migrate;
    private final Metrics metrics;
    private final Clock clock;
    private final double tolerance;
    private final int ratePerTick;
    private final Duration retryWindow;
    private final Duration settle;
    private final Random random;
    private final Deque<long[]> inFlight = new ArrayDeque<>();
    private long episodeStart;

    /**
     * @param migrate     tells one connection to move, reconnecting after the given milliseconds
     * @param tolerance   how far from the mean a node may be (0.1 = 10 %) before clients are moved
     * @param ratePerTick most clients moved per tick
     * @param retryWindow clients are told to come back after a uniform random delay in [0, window]
     * @param settle      how long a moved client counts as in flight (retry window plus heartbeats)
     */
    public Rebalancer(String nodeId, ClusterView view, ConnectionRegistry connections, BiConsumer<Connection, Long> migrate,
            Metrics metrics, Clock clock, double tolerance, int ratePerTick, Duration retryWindow, Duration settle, Random random) {
        this.nodeId = nodeId;
        this.view = view;
        this.connections = connections;
        this.migrate = migrate;
        this.metrics = metrics;
        this.clock = clock;
        this.tolerance = tolerance;
        this.ratePerTick = ratePerTick;
        this.retryWindow = retryWindow;
        this.settle = settle;
        this.random = random;
    }

    /** One round; returns how many clients it asked to move. Called from one thread at a time. */
    public synchronized int tick() {
        long now = clock.millis();
        while (!inFlight.isEmpty() && inFlight.peekFirst()[0] < now - settle.toMillis()) {
            inFlight.removeFirst();
        }
        Spread spread = view.spread();
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
        long moving = inFlight.stream().mapToLong(e -> e[1]).sum();
        double mean = (double) (spread.total() + moving) / spread.nodes();
        long mine = view.mine();
        if (mine <= mean * (1 + tolerance)) {
            return 0;
        }
        int count = (int) Math.min(ratePerTick, mine - Math.round(mean));
        List<Connection> open = new ArrayList<>();
        connections.forEach(c -> {
            if (c.isOpen()) {
                open.add(c);
            }
        });
        Collections.shuffle(open, random);
        int moved = 0;
        for (Connection c : open.subList(0, Math.min(count, open.size()))) {
            migrate.accept(c, retryWindow.isZero() ? 0 : random.nextLong(retryWindow.toMillis() + 1));
            moved++;
        }
        if (moved > 0) {
            inFlight.addLast(new long[] {now, moved});
            metrics.migrated(moved);
        }
        return moved;
    }

    private static String round(double v) {
        return String.format("%.2f", v);
    }
}
