package dev.wslab.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every session directory promises, run against the in-memory one and against a real redis-server. */
public abstract class SessionDirectoryContract {
    protected abstract SessionDirectory directory();

    private Optional<String> owner(SessionDirectory d, String session) {
        return d.sessionOwner(session).toCompletableFuture().join();
    }

    @Test
    void anOwnedSessionNamesItsNodeUntilItEnds() {
        SessionDirectory d = directory();
        d.sessionOwned("s-1", "10.0.0.1:9001", Duration.ofMinutes(1)).toCompletableFuture().join();
        d.sessionOwned("s-2", "10.0.0.2:9002", Duration.ofMinutes(1)).toCompletableFuture().join();
        assertThat(owner(d, "s-1")).contains("10.0.0.1:9001");
        d.sessionEnded("s-1").toCompletableFuture().join();
        assertThat(owner(d, "s-1")).isEmpty();
        assertThat(owner(d, "s-2")).contains("10.0.0.2:9002");
        assertThat(owner(d, "never-made")).isEmpty();
    }

    @Test
    void anEntryNotRenewedExpiresWithItsTtl() {
        SessionDirectory d = directory();
        d.sessionOwned("brief", "10.0.0.1:9001", Duration.ofMillis(300)).toCompletableFuture().join();
        d.sessionOwned("kept", "10.0.0.1:9001", Duration.ofMinutes(1)).toCompletableFuture().join();
        assertThat(owner(d, "brief")).isPresent();
        Eventually.until(() -> owner(d, "brief").isEmpty(), Duration.ofSeconds(5), "the brief entry expired");
        assertThat(owner(d, "kept")).isPresent();
    }
}
