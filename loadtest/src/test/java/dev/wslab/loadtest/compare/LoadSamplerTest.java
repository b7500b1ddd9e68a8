package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The figures a run's load samples give: time to balance, Redis's peak, what a drain left behind. */
class LoadSamplerTest {
    private static LoadSampler.Sample sample(long at, long redis, long... counts) {
        Map<String, Long> c = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] >= 0) {
                c.put("node-" + (i + 1), counts[i]);
            }
        }
        return new LoadSampler.Sample(at, c, Map.of(), redis);
    }

    /** 45/45 until the fault at t=1000, a fresh node at 0, even from t=3000 on. */
    private static List<LoadSampler.Sample> scaleOut() {
        List<LoadSampler.Sample> s = new ArrayList<>();
        for (long t = 0; t <= 10_000; t += 200) {
            if (t < 1000) {
                s.add(sample(t, t, 45, 45, -1));
            } else if (t < 3000) {
                s.add(sample(t, 1000 + (t - 1000) * 3, 40, 40, 10));
            } else {
                s.add(sample(t, 1000 + (t - 1000) * 3, 30, 30, 30));
            }
        }
        return s;
    }

    @Test
    void timeToBalanceRunsFromTheFaultToTheStartOfALastingEvenSpread() {
        assertThat(SampleFigures.timeToBalance(scaleOut(), 1000, 10_000)).isEqualTo(2000.0);
    }

    @Test
    void aBalanceThatDoesNotLastToTheEndDoesNotCount() {
        // A restart: two nodes even while the third is down, then it is back empty and stays emptier.
        List<LoadSampler.Sample> s = new ArrayList<>();
        for (long t = 0; t <= 10_000; t += 200) {
            s.add(t < 5000 ? sample(t, 0, 45, -1, 45) : sample(t, 0, 40, 10, 40));
        }
        assertThat(SampleFigures.timeToBalance(s, 1000, 10_000)).isNull();
    }

    @Test
    void aSpreadThatNeverSettlesHasNoTimeToBalanceAndOneThatNeverLeftHasZero() {
        List<LoadSampler.Sample> skewed = new ArrayList<>();
        List<LoadSampler.Sample> even = new ArrayList<>();
        for (long t = 0; t <= 10_000; t += 200) {
            skewed.add(sample(t, 0, 50, 40, 0));
            even.add(sample(t, 0, 30, 31, 29));
        }
        assertThat(SampleFigures.timeToBalance(skewed, 1000, 10_000)).isNull();
        assertThat(SampleFigures.timeToBalance(even, 1000, 10_000)).isZero();
    }

    @Test
    void drainingNodesAreNotPartOfTheSpread() {
        LoadSampler.Sample s = new LoadSampler.Sample(0, Map.of("node-1", 30L, "node-2", 3L, "node-3", 30L),
                Map.of("node-2", true), 0);
        assertThat(s.balanced()).isTrue();
        assertThat(SampleFigures.connectionsAt(List.of(s), "node-2", 10)).isEqualTo(3.0);
    }

    @Test
    void redisPeakIsTheBusiestSecondAndIsComparedWithTheRateBefore() {
        List<LoadSampler.Sample> s = scaleOut();
        // One command per ms before the fault, three after.
        assertThat(SampleFigures.redisRate(s, 0, 1000)).isEqualTo(1000.0);
        assertThat(SampleFigures.redisPeakPerSecond(s, 1000, 10_000)).isEqualTo(3000.0);
        assertThat(SampleFigures.worstMaxOverMin(s, 1000, 10_000)).isEqualTo(4.0);
        Map<String, Double> f = SampleFigures.figures(s, 1000, 10_000, "node-3");
        assertThat(f).containsEntry("time_to_balance_ms", 2000.0).containsEntry("fault_node_left", 30.0)
                .containsEntry("fault_at_sample_ms", 1000.0);
    }

    /** node-1 and node-2 from the start; node-3 joins at t=2000 and takes 3 of the next 4 sessions each second for 5 s, then 1 in 3. */
    private static List<LoadSampler.Sample> surge() {
        List<LoadSampler.Sample> s = new ArrayList<>();
        long one = 0;
        long two = 0;
        long three = 0;
        for (long t = 0; t <= 12_000; t += 1000) {
            Map<String, Long> connections = new TreeMap<>(Map.of("node-1", 10L, "node-2", 10L));
            if (t >= 2000) {
                connections.put("node-3", 5L);
            }
            if (t > 2000 && t <= 7000) {
                one += 1;
                three += 3;
            } else if (t > 7000) {
                one += 1;
                two += 1;
                three += 1;
            } else {
                one += 2;
                two += 2;
            }
            // node-3's counters run on from an earlier run (HAProxy counts since it started).
            Map<String, Long> sessions = Map.of("random/node-1", one, "random/node-2", two, "random/node-3", 40 + three,
                    "sticky/node-3", 1000 * t);
            s.add(new LoadSampler.Sample(t, connections, Map.of(), 0, t * 10, sessions, t >= 2000 && t < 5000 ? 1 : 0));
        }
        return s;
    }

    @Test
    void aJoinedNodesShareCountsTheBackendsNewSessionsFromItsFirstOne() {
        List<LoadSampler.Sample> s = surge();
        assertThat(SampleFigures.joinedNode(s, 1500)).contains("node-3");
        assertThat(SampleFigures.joinedNode(s, 2500)).as("node-3 answered before a fault at t=2500").isEmpty();
        // From t=3000 (the sample that shows its first sessions) to t=8000: 12 + 1 of 16 + 3 sessions.
        assertThat(SampleFigures.joinedShare(s, "random", "node-3", 1500, 5000)).isCloseTo(100.0 * 13 / 19,
                org.assertj.core.api.Assertions.within(1e-9));
        // To the end: 12 + 5 of 19 + 12.
        assertThat(SampleFigures.joinedShare(s, "random", "node-3", 1500, Long.MAX_VALUE)).isCloseTo(100.0 * 17 / 31,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(SampleFigures.joinedShare(s, "roundrobin", "node-3", 1500, 5000)).as("a backend with no sessions").isNull();
        Map<String, Double> f = SampleFigures.figures(s, 1000, 1500, 11_000, null, "random");
        assertThat(f.get("joined_share_5s")).isCloseTo(100.0 * 13 / 19, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f).containsEntry("redis_out_bytes", 110_000.0);
        // An old worker in the samples of t=2000 … 4000: its last sign of life 2.5 s after a fault at 1500.
        assertThat(f).containsEntry("old_worker_s", 2.5);
        assertThat(SampleFigures.oldWorkerSeconds(s, 5000, 11_000)).as("none after t=5000").isNull();
    }

    @Test
    void redisOutBytesIsNotReportedAcrossARestartOfItsCounter() {
        List<LoadSampler.Sample> s = List.of(new LoadSampler.Sample(0, Map.of(), Map.of(), 0, 500, Map.of(), -1),
                new LoadSampler.Sample(1000, Map.of(), Map.of(), 0, 20, Map.of(), -1));
        assertThat(SampleFigures.redisOutBytes(s, 0, 1000)).isNull();
    }
}
