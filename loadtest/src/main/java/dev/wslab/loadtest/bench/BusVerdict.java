package dev.wslab.loadtest.bench;

import java.util.Map;

/**
 * The arithmetic of the bus bench, apart from its sockets so that it is tested on numbers: what a
 * message costs each group of processes, when a step counts as saturated, and which group most
 * likely saturated it. Pure functions.
 */
final class BusVerdict {
    /** Under this share of what was owed (sent, acked, delivered), a step is saturated. */
    static final double SHORT_OF = 0.95;
    /** A publish p99 past this is saturation whatever the first step's was. */
    static final double P99_CEILING_MILLIS = 500;
    /** Or past this many times the climb's first p99 (but not below {@link #P99_EXPLODED_FLOOR_MILLIS}). */
    static final double P99_GROWTH = 10;
    /** A jump from 0.3 to 4 ms is scheduling noise on two shared cores, not a queue building. */
    static final double P99_EXPLODED_FLOOR_MILLIS = 50;
    /** A single-threaded redis-server this busy (in cores) is the limit whatever else is busy. */
    static final double REDIS_FULL_CORE = 0.9;
    /** The machine this busy (all cores) is the limit of everything on it. */
    static final double MACHINE_FULL = 0.9;

    private BusVerdict() {}

    /** CPU microseconds per message; NaN when no message went through. */
    static double microsPerMessage(long cpuNanos, long messages) {
        return messages <= 0 ? Double.NaN : cpuNanos / 1e3 / messages;
    }

    /** Share of the whole machine: 0.5 on 2 cores is one core busy all the time. */
    static double share(long cpuNanos, long wallNanos, int cores) {
        return wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos / cores;
    }

    /**
     * Why the step is saturated, or null when it is not: the generator could not send what was
     * offered, publishes went unacked, deliveries went missing, sockets were closed or refused, or
     * the publish p99 exploded (past the ceiling, or past {@link #P99_GROWTH} times the first step's).
     */
    static String saturation(int offeredPerSecond, double seconds, long published, long acked, long delivered, long owed,
                             long closed, long errors, Double p99Millis, Double firstP99Millis) {
        double offered = offeredPerSecond * seconds;
        if (published < SHORT_OF * offered) {
            return String.format("sent %.0f %% of the offered messages", 100.0 * published / offered);
        }
        if (acked < SHORT_OF * published) {
            return String.format("%.0f %% of the sent messages acked", 100.0 * acked / published);
        }
        if (delivered < SHORT_OF * owed) {
            return String.format("%.0f %% of the owed deliveries arrived", 100.0 * delivered / owed);
        }
        if (closed > 0) {
            return closed + " sockets closed by the nodes";
        }
        if (errors > 0) {
            return errors + " publishes answered with an error";
        }
        if (p99Millis != null && p99Exploded(p99Millis, firstP99Millis)) {
            return String.format("publish p99 %.1f ms", p99Millis);
        }
        return null;
    }

    static boolean p99Exploded(double p99Millis, Double firstP99Millis) {
        if (p99Millis > P99_CEILING_MILLIS) {
            return true;
        }
        return firstP99Millis != null && p99Millis > Math.max(P99_EXPLODED_FLOOR_MILLIS, P99_GROWTH * firstP99Millis);
    }

    /**
     * Which resource most likely set the step's limit, from the CPU shares of the machine: a Redis
     * process at a full core (Redis runs commands on one thread), else the whole machine when its
     * cores are busy (then the largest share is named, and on two shared cores that is the honest
     * answer: everything competes), else the group with the largest share.
     *
     * @param redisHottestCores the busiest redis-server's CPU, in cores
     * @param shares group → share of the machine (redis, nodes, generator)
     * @param machineBusy the share of the machine busy, every process's included
     */
    static String bottleneck(double redisHottestCores, Map<String, Double> shares, double machineBusy) {
        String largest = shares.entrySet().stream().filter(e -> !e.getValue().isNaN())
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("unknown");
        if (redisHottestCores >= REDIS_FULL_CORE) {
            return String.format("Redis (one redis-server at %.0f %% of a core)", 100 * redisHottestCores);
        }
        if (machineBusy >= MACHINE_FULL) {
            return String.format("the machine (%.0f %% busy; largest share: %s %.0f %%)", 100 * machineBusy, largest,
                    100 * shares.get(largest));
        }
        return String.format("%s (%.0f %% of the machine; the machine %.0f %% busy)", largest,
                100 * shares.getOrDefault(largest, Double.NaN), 100 * machineBusy);
    }
}
