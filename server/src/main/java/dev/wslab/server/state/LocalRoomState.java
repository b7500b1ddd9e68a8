package dev.wslab.server.state;

import dev.wslab.server.broker.Broker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Room state of a node on its own: in memory, gone when the process ends. */
public final class LocalRoomState implements RoomState {
    private record Numbers(AtomicLong seq, AtomicLong counter, AtomicLong members, java.util.ArrayDeque<byte[]> history) {
        Numbers() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new java.util.ArrayDeque<>());
        }
    }

    private final ConcurrentHashMap<String, Numbers> rooms = new ConcurrentHashMap<>();
    private final int historyLength;

    public LocalRoomState(int historyLength) {
        this.historyLength = historyLength;
    }

    /** Keeps the message for resuming clients; called by the local broker as it numbers the message. */
    public void remember(String room, long seq, byte[] frame) {
        java.util.ArrayDeque<byte[]> history = numbers(room).history();
        synchronized (history) {
            if (historyLength <= 0) {
                return;
            }
            history.addLast(frame);
            while (history.size() > historyLength) {
                history.removeFirst();
            }
        }
    }

    @Override
    public CompletionStage<Replay> history(String room, long afterSeq, int limit) {
        Numbers n = numbers(room);
        synchronized (n.history()) {
            // The deque holds consecutive seqs ending at the room's current seq.
            long lastSeq = n.seq().get();
            long firstKept = lastSeq - n.history().size() + 1;
            long from = Math.max(afterSeq + 1, firstKept);
            List<byte[]> frames = new java.util.ArrayList<>();
            long seq = firstKept;
            for (byte[] frame : n.history()) {
                if (seq >= from && frames.size() < limit) {
                    frames.add(frame);
                }
                seq++;
            }
            return CompletableFuture.completedFuture(frames.isEmpty() ? Replay.EMPTY : new Replay(from, frames));
        }
    }
    private final AtomicReference<NodeInfo> self = new AtomicReference<>();
    /** One node: every session is its own, so shared sessions never forward. */
    private final java.util.Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    /** Used by {@link dev.wslab.server.broker.LocalBroker}, which numbers events as it publishes them. */
    public long increment(String room, Broker.Number number) {
        Numbers n = numbers(room);
        return (number == Broker.Number.SEQ ? n.seq() : n.counter()).incrementAndGet();
    }

    @Override
    public CompletionStage<RoomSnapshot> snapshot(String room) {
        Numbers n = numbers(room);
        return CompletableFuture.completedFuture(
                new RoomSnapshot(room, n.seq().get(), n.counter().get(), n.members().get()));
    }

    @Override
    public CompletionStage<Long> memberJoined(String room) {
        return CompletableFuture.completedFuture(numbers(room).members().incrementAndGet());
    }

    @Override
    public CompletionStage<Long> memberLeft(String room) {
        return CompletableFuture.completedFuture(numbers(room).members().updateAndGet(m -> Math.max(0, m - 1)));
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo info, Duration ttl) {
        self.set(info);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        NodeInfo info = self.get();
        return CompletableFuture.completedFuture(info == null ? List.of() : List.of(info));
    }

    @Override
    public CompletionStage<Void> forget(String nodeId) {
        self.set(null);
        return CompletableFuture.completedFuture(null);
    }

    private Numbers numbers(String room) {
        return rooms.computeIfAbsent(room, r -> new Numbers());
    }

    @Override
    public CompletionStage<Void> sessionOwned(String session, String address, Duration ttl) {
        sessions.put(session, address);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<java.util.Optional<String>> sessionOwner(String session) {
        return CompletableFuture.completedFuture(java.util.Optional.ofNullable(sessions.get(session)));
    }

    @Override
    public CompletionStage<Void> sessionEnded(String session) {
        sessions.remove(session);
        return CompletableFuture.completedFuture(null);
    }
}
