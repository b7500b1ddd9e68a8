package dev.wslab.server.state;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Which node address serves each HTTP session, so that any node can forward a request for it there
 * (shared sessions). Two implementations: Redis and in-process (one node: every session is its
 * own). Thread-safe.
 */
public interface SessionDirectory {
    /** Records the address serving the session, for {@code ttl} (renewed while it lives). */
    CompletionStage<Void> sessionOwned(String session, String address, Duration ttl);

    /** The address serving the session, or empty when it ended or was never made. */
    CompletionStage<Optional<String>> sessionOwner(String session);

    CompletionStage<Void> sessionEnded(String session);
}
