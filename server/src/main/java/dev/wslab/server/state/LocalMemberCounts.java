package dev.wslab.server.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Member counts of a node on its own: in memory, gone when the process ends. */
public final class LocalMemberCounts implements MemberCounts {
    private final ConcurrentHashMap<String, AtomicLong> members = new ConcurrentHashMap<>();

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

    private AtomicLong count(String room) {
        return members.computeIfAbsent(room, r -> new AtomicLong());
    }
}
