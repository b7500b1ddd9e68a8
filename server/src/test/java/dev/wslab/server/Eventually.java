package dev.wslab.server;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition that has no event to wait on (Redis state, a metric) until it holds or time runs out. */
public final class Eventually {
    private Eventually() {}

    public static <T> T value(Supplier<T> probe, java.util.function.Predicate<T> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            last = probe.get();
        }
        return last;
    }

    public static void until(Supplier<Boolean> condition, Duration timeout, String what) {
        value(condition, Boolean::booleanValue, timeout, what);
    }
}
