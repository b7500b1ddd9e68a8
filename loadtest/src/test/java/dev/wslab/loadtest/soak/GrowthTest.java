package dev.wslab.loadtest.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GrowthTest {
    private static List<double[]> series(int samples, double everySeconds, double perSecond, double noise, long seed) {
        Random random = new Random(seed);
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            double t = i * everySeconds;
            points.add(new double[] {t, 50_000_000 + perSecond * t + noise * random.nextGaussian()});
        }
        return points;
    }

    @Test
    void aFlatSeriesWithNoiseIsNoLeak() {
        Growth g = Growth.of("heap", 32 * 1024 * 1024, series(18, 5, 0, 500_000, 1));
        assertThat(g.leaks()).isFalse();
        assertThat(Math.abs(g.perHour())).isLessThan(3 * g.standardError() + 1);
    }

    @Test
    void aSteadyLeakFasterThanTheBoundFailsEvenInAShortRun() {
        // 1 MiB every 10 s: 360 MiB an hour against a 32 MiB bound, in 90 s of samples.
        Growth g = Growth.of("heap", 32 * 1024 * 1024, series(18, 5, 1024 * 1024 / 10.0, 300_000, 2));
        assertThat(g.leaks()).isTrue();
        assertThat(g.perHour()).isBetween(300.0 * 1024 * 1024, 420.0 * 1024 * 1024);
        assertThat(g.verdict()).contains("GROWS");
    }

    @Test
    void growthWithinTheBoundPasses() {
        Growth g = Growth.of("threads", 10, series(30, 60, 5 / 3600.0, 0, 3));
        assertThat(g.perHour()).isCloseTo(5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(g.leaks()).isFalse();
    }

    @Test
    void tooFewSamplesSayNothing() {
        assertThat(Growth.of("fds", 50, List.<double[]>of(new double[] {0, 10})).leaks()).isFalse();
    }
}
