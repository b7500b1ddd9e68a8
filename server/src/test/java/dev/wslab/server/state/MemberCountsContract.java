package dev.wslab.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every member count promises, run against the in-memory one and against a real redis-server. */
public abstract class MemberCountsContract {
    /** Counts as kept by node {@code nodeId}; every call of one test shares one store. */
    protected abstract MemberCounts counts(String nodeId);

    @Test
    void joinsAndLeavesAreCountedAndAnEmptyRoomHasNone() {
        MemberCounts a = counts("node-a");
        assertThat(a.members("lobby").toCompletableFuture().join()).isZero();
        assertThat(a.memberJoined("lobby").toCompletableFuture().join()).isEqualTo(1);
        assertThat(a.memberJoined("lobby").toCompletableFuture().join()).isEqualTo(2);
        assertThat(a.memberLeft("lobby").toCompletableFuture().join()).isEqualTo(1);
        assertThat(a.members("lobby").toCompletableFuture().join()).isEqualTo(1);
        assertThat(a.members("elsewhere").toCompletableFuture().join()).as("counted per room").isZero();
    }

    @Test
    void aLeaveWithoutAJoinNeverCountsBelowZero() {
        MemberCounts a = counts("node-a");
        assertThat(a.memberLeft("lobby").toCompletableFuture().join()).isZero();
        assertThat(a.memberJoined("lobby").toCompletableFuture().join()).isEqualTo(1);
    }
}
