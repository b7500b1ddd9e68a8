package dev.wslab.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadWeightTest {
    @Test
    void anIdleNodeAtOrBelowTheMeanAsksForFullWeight() {
        assertThat(new LoadWeight(10, 20, 0, 0.2).percent()).isEqualTo(100);
        assertThat(new LoadWeight(0, 0, 0, 0.2).percent()).isEqualTo(100);
    }

    @Test
    void aNodeAboveTheMeanAsksForMeanOverMine() {
        assertThat(new LoadWeight(40, 30, 0, 0.2).percent()).isEqualTo(75);
    }

    @Test
    void queuedFramesPerSocketLowerTheWeight() {
        // One frame waiting per socket on average: half weight.
        assertThat(new LoadWeight(100, 100, 100, 0.2).percent()).isEqualTo(50);
    }

    @Test
    void heapAboveHalfLowersTheWeightToATenthAtNinetyPercent() {
        assertThat(new LoadWeight(10, 10, 0, 0.5).percent()).isEqualTo(100);
        assertThat(new LoadWeight(10, 10, 0, 0.7).percent()).isEqualTo(55);
        assertThat(new LoadWeight(10, 10, 0, 0.95).percent()).isEqualTo(10);
    }

    @Test
    void theTightestResourceDecidesAndTheWeightNeverReachesZero() {
        assertThat(new LoadWeight(40, 30, 40, 0.7).percent()).isEqualTo(50);
        assertThat(new LoadWeight(1_000_000, 1, 0, 0.2).percent()).isEqualTo(1);
    }
}
