package dev.wslab.server.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The session directory in memory, with the ttl Redis would give each entry. */
public final class LocalSessionDirectory implements SessionDirectory {
    private record Owner(String address, long expiresAtMillis) {}

    private final Clock clock;
    private final Map<String, Owner> sessions = new ConcurrentHashMap<>();

    public LocalSessionDirectory() {
        this(Clock.systemUTC());
    }

    public LocalSessionDirectory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> sessionOwned(String session, String address, Duration ttl) {
        sessions.put(session, new Owner(address, clock.millis() + ttl.toMillis()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<String>> sessionOwner(String session) {
        Owner owner = sessions.get(session);
        if (owner != null && owner.expiresAtMillis() <= clock.millis()) {
            sessions.remove(session, owner);
            owner = null;
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(owner).map(Owner::address));
    }

    @Override
    public CompletionStage<Void> sessionEnded(String session) {
        sessions.remove(session);
        return CompletableFuture.completedFuture(null);
    }
}
