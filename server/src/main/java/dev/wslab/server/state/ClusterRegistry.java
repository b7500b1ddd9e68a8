package dev.wslab.server.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The live nodes, from their heartbeats: what {@code /api/cluster} lists and the balancer weighs.
 * A node that stops announcing itself drops out once its announcement expires, and with it its
 * member counts ({@link MemberCounts}). Two implementations: Redis and in-process. Thread-safe.
 */
public interface ClusterRegistry {
    /**
     * Announces this node for {@code ttl}, and reaps nodes whose announcements have expired: their
     * member counts no longer count.
     */
    CompletionStage<Void> announce(NodeInfo self, Duration ttl);

    /** The nodes whose announcements have not expired, by node id. */
    CompletionStage<List<NodeInfo>> cluster();

    /** Removes the node's announcement and member counts (clean shutdown, or a restart reusing its id). */
    CompletionStage<Void> forget(String nodeId);
}
