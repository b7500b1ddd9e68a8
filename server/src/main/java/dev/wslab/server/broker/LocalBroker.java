package dev.wslab.server.broker;

import dev.wslab.server.protocol.FrameTemplate;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process bus. Guarantee: <b>single node only</b> — events reach this node's own
 * subscribers and nobody else. It is the embedded default for one node, and in the lab it is the
 * configuration that shows what a cluster loses without a shared bus.
 *
 * <p>Publishing is synchronized so that numbers and delivery order agree, as the Redis script
 * makes them agree across nodes.
 */
public final class LocalBroker implements Broker {
    /** One room's numbers and its last messages (consecutive seqs ending at {@code seq}). Guarded by the broker. */
    private static final class Room {
        long seq;
        long counter;
        final ArrayDeque<byte[]> history = new ArrayDeque<>();
    }

    private final String nodeId;
    private final int historyLength;
    private final Clock clock;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Room> rooms = new java.util.HashMap<>();
    private volatile Listener listener = (room, envelope) -> { };

    public LocalBroker(String nodeId, int historyLength, Clock clock) {
        this.nodeId = nodeId;
        this.historyLength = historyLength;
        this.clock = clock;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
        subscribed.add(room);
        listener.onSubscribed(room);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String room) {
        subscribed.remove(room);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Long> publishNumbered(String room, Number number, FrameTemplate template) {
        Room r = room(room);
        long value = number == Number.SEQ ? ++r.seq : ++r.counter;
        long seq = number == Number.SEQ ? value : 0;
        byte[] frame = template.fill(value);
        if (seq > 0 && historyLength > 0) {
            r.history.addLast(frame);
            while (r.history.size() > historyLength) {
                r.history.removeFirst();
            }
        }
        deliver(room, seq, frame);
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public synchronized CompletionStage<Void> publish(String room, byte[] frame) {
        deliver(room, 0, frame);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Numbers> numbers(String room) {
        Room r = rooms.get(room);
        return CompletableFuture.completedFuture(r == null ? new Numbers(0, 0) : new Numbers(r.seq, r.counter));
    }

    @Override
    public synchronized CompletionStage<Replay> history(String room, long afterSeq, int limit) {
        Room r = rooms.get(room);
        if (r == null || limit <= 0) {
            return CompletableFuture.completedFuture(Replay.EMPTY);
        }
        long firstKept = r.seq - r.history.size() + 1;
        long from = Math.max(afterSeq + 1, firstKept);
        List<byte[]> frames = new ArrayList<>();
        long seq = firstKept;
        for (byte[] frame : r.history) {
            if (seq >= from && frames.size() < limit) {
                frames.add(frame);
            }
            seq++;
        }
        return CompletableFuture.completedFuture(frames.isEmpty() ? Replay.EMPTY : new Replay(from, frames));
    }

    private Room room(String room) {
        return rooms.computeIfAbsent(room, r -> new Room());
    }

    private void deliver(String room, long seq, byte[] frame) {
        if (subscribed.contains(room)) {
            listener.onRoomEvent(room, Envelope.parse(Envelope.encode(nodeId, Micros.now(clock), seq, frame)));
        }
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public void close() {
        subscribed.clear();
    }
}
