package dev.wslab.loadtest.bench;

import java.util.Map;

/**
 * One step of the bus bench's climb on one target: {@code offered} messages per second over all
 * rooms; {@code published}, {@code acked} and {@code delivered} count only the messages sent inside
 * the measured window (a backlog shows as latency, not as throughput); {@code owed} is published
 * times subscribers per room. CPU prices are microseconds per acked message of the target's
 * redis-servers (masters and replicas apart), its nodes and the generator (this JVM), from the
 * window's start until its stragglers arrived; shares are of the whole machine (0.5 = one of two
 * cores) during the window, and {@code redisHottestCores} is the busiest redis-server's, in cores. {@code saturatedBy} is null for a step that kept up; {@code bottleneck} says which
 * processes most likely set the limit.
 */
record BusStep(String target, int repeat, int rooms, int offered, double seconds, long published, long acked, long errors,
               long delivered, long owed, long closed, double ackedPerSecond, Map<String, Double> ackMillis,
               Map<String, Double> deliveryMillis, double redisMicros, double redisMastersMicros, double redisReplicasMicros,
               double nodeMicros, double generatorMicros, double redisShare, double nodeShare, double generatorShare,
               double redisHottestCores, double machineBusy, String saturatedBy, String bottleneck) {

    boolean saturated() {
        return saturatedBy != null;
    }
}
