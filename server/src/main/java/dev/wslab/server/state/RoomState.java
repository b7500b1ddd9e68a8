package dev.wslab.server.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Room and cluster state shared by every node, beside what the bus numbers and keeps (seq, counter,
 * history: {@code broker}): member counts, the node registry and the HTTP session directory.
 * Two implementations: Redis (the cluster) and in-process (one node on its own).
 *
 * <p>Member counts are kept per node so that a node that dies without saying goodbye stops being
 * counted once its heartbeat expires and a live node reaps it. Thread-safe; stages may complete on
 * the store's own threads.
 */
public interface RoomState {

    /** The room's members on every live node. */
    CompletionStage<Long> members(String room);

    /** Counts one more member of the room on this node; completes with the cluster-wide count. */
    CompletionStage<Long> memberJoined(String room);

    /** Counts one fewer member of the room on this node; completes with the cluster-wide count. */
    CompletionStage<Long> memberLeft(String room);

    /**
     * Announces this node for {@code ttl}, and reaps nodes whose announcements have expired: their
     * member counts no longer count.
     */
    CompletionStage<Void> announce(NodeInfo self, Duration ttl);

    /** The nodes whose announcements have not expired. */
    CompletionStage<List<NodeInfo>> cluster();

    /** Removes this node's announcement and member counts (clean shutdown, or a restart reusing its id). */
    CompletionStage<Void> forget(String nodeId);

    /**
     * Records which node address serves an HTTP session, for {@code ttl} (renewed while it lives), so
     * that any node can forward a request for it there (shared sessions).
     */
    CompletionStage<Void> sessionOwned(String session, String address, Duration ttl);

    /** The address serving the session, or empty when it ended or was never made. */
    CompletionStage<java.util.Optional<String>> sessionOwner(String session);

    CompletionStage<Void> sessionEnded(String session);
}
