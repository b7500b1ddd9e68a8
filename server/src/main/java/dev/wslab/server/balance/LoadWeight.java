package dev.wslab.server.balance;

/**
 * The weight a node asks HAProxy to give it, 1–100 (% of its configured weight): the lowest of three
 * headrooms, so whichever resource is tightest steers new clients away.
 *
 * <ul>
 *   <li>connections: 1 at or below the cluster mean, else mean / mine — HAProxy counts only the
 *       sessions of one backend, the node counts every socket it holds (other frontends, direct
 *       clients, tunnels HAProxy already forgot);
 *   <li>outbound queue: 1 / (1 + frames waiting per socket) — sockets that cannot keep up mean the
 *       node's I/O threads or its clients' links are saturated;
 *   <li>heap: 1 up to half the maximum heap, falling linearly to 0.1 at 90 %;
 *   <li>the connection cap: 1 up to 80 % of it, falling linearly to 0 at 95 %. Zero is the one
 *       answer that stops HAProxy sending new clients (the others floor at 1 %); it comes before
 *       the cap itself because the agent is asked once a second and clients keep arriving meanwhile.
 * </ul>
 */
public record LoadWeight(long connections, double clusterMean, long queuedFrames, double heapUsedFraction,
        long maxConnections) {
    private static final double FLOOR = 0.01;
    private static final double CAP_EASE = 0.8;
    private static final double CAP_STOP = 0.95;

    public double connectionHeadroom() {
        if (clusterMean <= 0 || connections <= clusterMean) {
            return 1;
        }
        return clusterMean / connections;
    }

    public double queueHeadroom() {
        return 1 / (1 + (double) queuedFrames / Math.max(1, connections));
    }

    public double heapHeadroom() {
        if (heapUsedFraction <= 0.5) {
            return 1;
        }
        return Math.max(0.1, 1 - (heapUsedFraction - 0.5) / 0.4 * 0.9);
    }

    public double capHeadroom() {
        double used = (double) connections / maxConnections;
        return Math.max(0, Math.min(1, (CAP_STOP - used) / (CAP_STOP - CAP_EASE)));
    }

    /** The agent's answer, in percent of the server's configured weight. */
    public int percent() {
        double cap = capHeadroom();
        if (cap == 0) {
            return 0;
        }
        double w = Math.min(cap, Math.min(connectionHeadroom(), Math.min(queueHeadroom(), heapHeadroom())));
        return (int) Math.max(1, Math.round(Math.max(FLOOR, w) * 100));
    }
}
