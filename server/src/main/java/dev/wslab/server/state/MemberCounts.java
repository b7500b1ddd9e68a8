package dev.wslab.server.state;

import java.util.concurrent.CompletionStage;

/**
 * How many members each room has on every live node. Counts are kept per node, so that a node that
 * dies without saying goodbye stops being counted once the {@link ClusterRegistry} reaps it.
 * Two implementations: Redis (the cluster) and in-process (one node). Thread-safe; stages may
 * complete on the store's own threads.
 */
public interface MemberCounts {
    /** The room's members on every live node. */
    CompletionStage<Long> members(String room);

    /** Counts one more member of the room on this node; completes with the cluster-wide count. */
    CompletionStage<Long> memberJoined(String room);

    /** Counts one fewer member of the room on this node (never below zero); completes with the cluster-wide count. */
    CompletionStage<Long> memberLeft(String room);
}
