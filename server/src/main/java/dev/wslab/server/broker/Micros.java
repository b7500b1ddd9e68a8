package dev.wslab.server.broker;

import java.time.Clock;
import java.time.Instant;

/** Epoch microseconds: the bus's timestamp unit, fine enough for sub-millisecond latency buckets. */
public final class Micros {
    private Micros() {}

    public static long now(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
