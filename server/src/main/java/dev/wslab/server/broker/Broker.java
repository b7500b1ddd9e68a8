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
 * <p>The bus also owns what it numbers: each room's seq, counter and bounded history (written and
 * read here, nowhere else).
 *
 * <p>Implementations are thread-safe. {@link Listener} callbacks may run on the bus's own threads
 * and must not block.
 */
public interface Broker extends AutoCloseable {

    /** Receives every event of every room this node is subscribed to, its own included. */
    @FunctionalInterface
    interface Listener {
        void onRoomEvent(String room, Envelope envelope);

        /** Something on a room's channel that is not an envelope (another program published there): dropped. */
        default void onMalformed(String room, String reason) {
        }

        /**
         * The bus confirmed the node's subscription to the room: the first time, or again after it
         * lapsed — a reconnect, a Redis Cluster failover that moved the room's channel. Then what was
         * published in between never arrived, and no later event may come to show it missing.
         */
        default void onSubscribed(String room) {
        }
    }

    /** The per-room numbers the bus assigns atomically with the publish. */
    enum Number {
        /** Message sequence: clients on every node see the same seq for the same message. */
        SEQ,
        /** The shared counter of the HA demo. */
        COUNTER
    }

    /** The per-room numbers as they are now: the last message's seq and the shared counter. */
    record Numbers(long seq, long counter) {}

    /**
     * Hands every event of the rooms this node subscribes to {@code listener}, from now on. Called
     * once, after the parts that receive events are built: nothing reaches them half-made.
     */
    void start(Listener listener);

    /** Starts delivering the room's events to this node; completes once the bus confirms. */
    CompletionStage<Void> subscribe(String room);

    CompletionStage<Void> unsubscribe(String room);

    /**
     * Increments the room's number, splices the new value into the template and publishes the frame,
     * as one atomic step; completes with the new value.
     */
    CompletionStage<Long> publishNumbered(String room, Number number, FrameTemplate template);

    /** The room's seq and counter as they are now. */
    CompletionStage<Numbers> numbers(String room);

    /**
     * The room's messages with a seq above {@code afterSeq}, at most {@code limit}, oldest first, as
     * far back as the bounded history reaches, and as far on as their seqs are consecutive. The bus writes the history in the step that numbers
     * and publishes a message, so a resume never finds a hole between the two.
     */
    CompletionStage<Replay> history(String room, long afterSeq, int limit);

    /** Publishes an already-encoded frame that carries no number (presence). */
    CompletionStage<Void> publish(String room, byte[] frame);

    /** Whether publishes can currently succeed. */
    boolean isConnected();

    /** A short name for logs and metrics: redis or local. */
    String kind();

    @Override
    void close();
}
