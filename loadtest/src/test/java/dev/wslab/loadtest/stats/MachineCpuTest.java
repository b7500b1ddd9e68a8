package dev.wslab.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineCpuTest {
    @Test
    void idleAndIowaitAreNotBusyAndGuestTimeIsNotCountedTwice() {
        long[] t = MachineCpu.parse("cpu  100 5 50 800 45 0 0 0 30 0");
        assertThat(t[1]).isEqualTo(1000 * 10_000_000L);
        assertThat(t[0]).isEqualTo(155 * 10_000_000L);
    }

    @Test
    void theBusyShareIsBusyTimeOverAllTimeBetweenTwoReadings() {
        assertThat(MachineCpu.busyShare(new long[] {100, 1000}, new long[] {400, 1400})).isCloseTo(0.75, within(1e-9));
        assertThat(MachineCpu.busyShare(new long[] {1, 1}, new long[] {1, 1})).isNaN();
    }
}
