package dev.wslab.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadWeightTest {
    private static final long NO_CAP = 10_000_000;

    @Test
    void anIdleNodeAtOrBelowTheMeanAsksForFullWeight() {
        assertThat(new LoadWeight(10, 20, 0, 0.2, NO_CAP).percent()).isEqualTo(100);
        assertThat(new LoadWeight(0, 0, 0, 0.2, NO_CAP).percent()).isEqualTo(100);
    }

    @Test
    void aNodeAboveTheMeanAsksForMeanOverMine() {
        assertThat(new LoadWeight(40, 30, 0, 0.2, NO_CAP).percent()).isEqualTo(75);
    }

    @Test
    void queuedFramesPerSocketLowerTheWeight() {
        // One frame waiting per socket on average: half weight.
        assertThat(new LoadWeight(100, 100, 100, 0.2, NO_CAP).percent()).isEqualTo(50);
    }

    @Test
    void heapAboveHalfLowersTheWeightToATenthAtNinetyPercent() {
        assertThat(new LoadWeight(10, 10, 0, 0.5, NO_CAP).percent()).isEqualTo(100);
        assertThat(new LoadWeight(10, 10, 0, 0.7, NO_CAP).percent()).isEqualTo(55);
        assertThat(new LoadWeight(10, 10, 0, 0.95, NO_CAP).percent()).isEqualTo(10);
    }

    @Test
    void theTightestResourceDecidesAndTheWeightNeverReachesZero() {
        assertThat(new LoadWeight(40, 30, 40, 0.7, NO_CAP).percent()).isEqualTo(50);
        assertThat(new LoadWeight(1_000_000, 1, 0, 0.2, NO_CAP).percent()).isEqualTo(1);
    }

    @Test
    void nearTheConnectionCapTheWeightFallsToZeroBeforeTheCapItself() {
        assertThat(new LoadWeight(800, 800, 0, 0.2, 1000).percent()).isEqualTo(100);
        assertThat(new LoadWeight(875, 875, 0, 0.2, 1000).percent()).isEqualTo(50);
        assertThat(new LoadWeight(949, 949, 0, 0.2, 1000).percent()).isEqualTo(1);
        assertThat(new LoadWeight(950, 950, 0, 0.2, 1000).percent()).isZero();
        assertThat(new LoadWeight(1200, 950, 0, 0.2, 1000).percent()).isZero();
    }
}
