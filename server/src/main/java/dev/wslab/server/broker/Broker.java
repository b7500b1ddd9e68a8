package dev.wslab.server.broker;

import dev.wslab.server.protocol.FrameTemplate;
import java.util.concurrent.CompletionStage;

/**
 * The cross-node bus: room events published on any node reach every node subscribed to the room.
 *
 * <p>Guarantee: <b>at-most-once</b> delivery to each subscribed node, in the order the bus assigned
 * the events' numbers. While the bus is unreachable, publishes fail (the returned stage completes
 * exceptionally) rather than being queued or silently dropped; events published while a node was
 * cut off are not replayed to it (room history, where it exists, is how clients catch up).
 *
 * <p>Implementations are thread-safe. {@link Listener} callbacks may run on the bus's own threads
 * and must not block.
 */
public interface Broker extends AutoCloseable {

    /** Receives every event of every room this node is subscribed to, its own included. */
    @FunctionalInterface
    interface Listener {
        void onRoomEvent(String room, Envelope envelope);
    }

    /** The per-room numbers the bus assigns atomically with the publish. */
    enum Number {
        /** Message sequence: clients on every node see the same seq for the same message. */
        SEQ,
        /** The shared counter of the HA demo. */
        COUNTER
    }

    /** Starts delivering the room's events to this node; completes once the bus confirms. */
    CompletionStage<Void> subscribe(String room);

    CompletionStage<Void> unsubscribe(String room);

    /**
     * Increments the room's number, splices the new value into the template and publishes the frame,
     * as one atomic step; completes with the new value.
     */
    CompletionStage<Long> publishNumbered(String room, Number number, FrameTemplate template);

    /** Publishes an already-encoded frame that carries no number (presence). */
    CompletionStage<Void> publish(String room, byte[] frame);

    /** Whether publishes can currently succeed. */
    boolean isConnected();

    /** A short name for logs and metrics: redis or local. */
    String kind();

    @Override
    void close();
}
