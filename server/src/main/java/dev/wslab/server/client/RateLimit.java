package dev.wslab.server.client;

/**
 * A token bucket for one connection's publishes: {@code perSecond} sustained, bursts of twice that.
 * Used only from the connection's I/O thread, so it needs no locking.
 */
public final class RateLimit {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimit(int perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, perSecond * 2.0);
        this.tokens = burst;
        this.last = nowNanos;
    }

    public boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
