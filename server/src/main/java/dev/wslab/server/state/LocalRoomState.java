package dev.wslab.server.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Room state of a node on its own: in memory, gone when the process ends. */
public final class LocalRoomState implements RoomState {
    private final ConcurrentHashMap<String, AtomicLong> members = new ConcurrentHashMap<>();
    private final AtomicReference<NodeInfo> self = new AtomicReference<>();
    /** One node: every session is its own, so shared sessions never forward. */
    private final java.util.Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public CompletionStage<Long> members(String room) {
        AtomicLong n = members.get(room);
        return CompletableFuture.completedFuture(n == null ? 0 : n.get());
    }

    @Override
    public CompletionStage<Long> memberJoined(String room) {
        return CompletableFuture.completedFuture(count(room).incrementAndGet());
    }

    @Override
    public CompletionStage<Long> memberLeft(String room) {
        return CompletableFuture.completedFuture(count(room).updateAndGet(m -> Math.max(0, m - 1)));
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

    private AtomicLong count(String room) {
        return members.computeIfAbsent(room, r -> new AtomicLong());
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
