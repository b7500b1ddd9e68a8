package dev.wslab.server.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void anEvenClusterIsBalancedWithNoSkew() {
        Spread s = Spread.of(List.of(30L, 30L, 30L));
        assertThat(s.maxOverMin()).isEqualTo(1.0);
        assertThat(s.cv()).isEqualTo(0.0);
        assertThat(s.balanced(0.1)).isTrue();
    }

    @Test
    void aFreshNodeCountsAsOneSoTheSkewStaysFinite() {
        Spread s = Spread.of(List.of(45L, 45L, 0L));
        assertThat(s.maxOverMin()).isEqualTo(45.0);
        assertThat(s.mean()).isEqualTo(30.0);
        assertThat(s.cv()).isCloseTo(0.707, within(0.001));
        assertThat(s.balanced(0.1)).isFalse();
    }

    @Test
    void withinTheToleranceAroundTheMeanIsBalanced() {
        assertThat(Spread.of(List.of(33L, 30L, 27L)).balanced(0.1)).isTrue();
        assertThat(Spread.of(List.of(34L, 30L, 26L)).balanced(0.1)).isFalse();
    }

    @Test
    void oneNodeOrNoneIsAlwaysBalanced() {
        assertThat(Spread.of(List.of(100L)).balanced(0.1)).isTrue();
        assertThat(Spread.of(List.of()).balanced(0.1)).isTrue();
    }
}
