package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How a dropped client comes back, as a real one does: backoff (with or without jitter, the
 * experiment's variable), a move hint honoured, then connect and resume. Apart from {@link Client}
 * because every transport runs the same loop over its own connect and join steps: the reconnect
 * numbers then compare transports, not implementations of the loop.
 */
final class Reconnection {
    private final Params params;
    private final Recorder recorder;

    Reconnection(Params params, Recorder recorder) {
        this.params = params;
        this.recorder = recorder;
    }

    /**
     * The reconnect loop over the connect and join steps of {@code via}. Gives up after
     * {@code attempts}, leaving the user offline (counted: its owed messages count as lost).
     */
    ChainBuilder loop(int attempts, Steps via) {
        return exec(via.readInbox())
                .exec(s -> {
                    if (s.contains("online") && s.getBoolean("online")) {
                        recorder.disconnected(s.userId()); // not for a first connect that failed
                    }
                    Session next = s.set("droppedAt", System.currentTimeMillis()).set("online", false)
                            .set("attempt", 0).markAsSucceeded();
                    long moveAfter = recorder.takeMoveHint(s.userId());
                    return moveAfter >= 0 ? next.set("moveAfter", moveAfter) : next.remove("moveAfter");
                })
                // Told to move (a rebalance): the sticky cookie names the node that wants the client
                // gone, so it is dropped and the load balancer chooses afresh.
                .doIf(s -> s.contains("moveAfter")).then(exec(flushCookieJar()))
                .asLongAs(s -> !s.getBoolean("online") && s.getInt("attempt") < attempts).on(
                        exec(s -> s.set("attempt", s.getInt("attempt") + 1))
                                .pause(s -> s.getInt("attempt") == 1 && s.contains("moveAfter")
                                        ? Duration.ofMillis(s.getLong("moveAfter"))
                                        : backoff(s.getInt("attempt"), via.random(s), params.jitter(), params.backoffBase()))
                                .exec(via.connect())
                                .doIf(s -> s.getBoolean("online")).then(via.join())
                                .exec(Session::markAsSucceeded));
    }

    /**
     * Exponential from {@code base} (100 ms unless told), capped at 2 s. With jitter ("full jitter"),
     * a uniform delay in [0, cap]: clients dropped together come back spread over the whole cap.
     * Without, every client waits exactly the cap: they come back in step, the thundering herd.
     */
    static Duration backoff(int attempt, SplittableRandom random, boolean jitter, Duration base) {
        long cap = Math.min(2000, base.toMillis() << Math.min(attempt - 1, 6));
        return Duration.ofMillis(jitter ? random.nextLong(cap + 1) : cap);
    }
}
