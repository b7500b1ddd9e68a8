package dev.wslab.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void readsUserPlusSystemTicksPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 56 0 0 20 0 7 0 100 3133440 382";
        assertThat(ProcessCpu.parse(stat)).isEqualTo((1234 + 56) * 10_000_000L);
    }

    @Test
    void countsTheCpuThisProcessBurns() {
        long pid = ProcessHandle.current().pid();
        long before = ProcessCpu.nanos(pid);
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        assertThat(spin).isPositive();
        // 0.3 s of one busy thread; /proc counts in 10 ms ticks and other threads only add.
        assertThat(ProcessCpu.nanos(pid) - before).isGreaterThanOrEqualTo(250_000_000L);
    }
}
