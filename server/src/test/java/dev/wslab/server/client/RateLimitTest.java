package dev.wslab.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfTwiceTheRateThenTheRateItself() {
        RateLimit limit = new RateLimit(10, 0);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            allowed += limit.tryAcquire(0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(20);
        assertThat(limit.tryAcquire(SECOND / 20)).isFalse();
        assertThat(limit.tryAcquire(SECOND / 10)).isTrue();
        int nextSecond = 0;
        for (long t = SECOND / 10; t <= SECOND + SECOND / 10; t += SECOND / 100) {
            nextSecond += limit.tryAcquire(t) ? 1 : 0;
        }
        assertThat(nextSecond).isBetween(9, 11);
    }
}
