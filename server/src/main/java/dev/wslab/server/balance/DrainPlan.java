package dev.wslab.server.balance;

import java.time.Duration;
import java.util.Locale;

/**
 * How a drain closes a node's sockets once its grace period is over.
 *
 * @param batchSize sockets closed per {@code interval} ({@link Strategy#BATCHES})
 * @param window    closes spread uniformly at random over this window ({@link Strategy#SPREAD})
 */
public record DrainPlan(Strategy strategy, Duration grace, int batchSize, Duration interval, Duration window) {

    public enum Strategy {
        /** Every socket closed at once: the simplest, and the thundering herd. */
        ALL,
        /** {@code batchSize} sockets every {@code interval}. */
        BATCHES,
        /** Each socket closed at its own random moment within {@code window}. */
        SPREAD,
        /** Nothing closed: the load balancer sends no new clients, the open ones leave when they leave. */
        LB_ONLY;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Strategy parse(String value) {
            for (Strategy s : values()) {
                if (s.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("strategy must be all, batches, spread or lb-only, got '" + value + "'");
        }
    }

    public DrainPlan {
        if (grace.isNegative() || interval.isNegative() || window.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
    }

    /** Everything at once after {@code grace}: what a plain drain does. */
    public static DrainPlan all(Duration grace) {
        return new DrainPlan(Strategy.ALL, grace, 1, Duration.ZERO, Duration.ZERO);
    }
}
