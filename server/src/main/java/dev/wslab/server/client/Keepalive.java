package dev.wslab.server.client;

import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.metrics.Metrics;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pings every socket each interval and closes those that have sent nothing, not even a pong, for
 * longer than the timeout: a peer whose network vanished would otherwise hold its socket and its
 * room memberships for as long as TCP takes to notice (hours).
 */
public final class Keepalive {
    private final ClientRegistry connections;
    private final Metrics metrics;
    private final Duration interval;
    private final Duration timeout;

    public Keepalive(ClientRegistry connections, Metrics metrics, Duration interval, Duration timeout) {
        this.connections = connections;
        this.metrics = metrics;
        this.interval = interval;
        this.timeout = timeout;
    }

    public void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        long now = System.nanoTime();
        connections.forEach(connection -> {
            if (connection.silentNanos(now) > timeout.toNanos()) {
                if (connection.closeUnresponsive(CloseCodes.PING_TIMEOUT, CloseCodes.pingTimeout(timeout.toSeconds()))) {
                    metrics.error("ping_timeout");
                }
            } else {
                connection.ping();
            }
        });
    }
}
