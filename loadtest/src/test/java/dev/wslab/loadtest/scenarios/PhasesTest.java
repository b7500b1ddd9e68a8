package dev.wslab.loadtest.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhasesTest {
    private static Phases startedPhases(double rate) {
        return startedPhases(rate, Duration.ofSeconds(1));
    }

    private static Phases startedPhases(double rate, Duration heartbeat) {
        Params params = new Params("http://127.0.0.1:8080", 10, Duration.ZERO, Duration.ofSeconds(30), rate, 1, 1,
                Duration.ofSeconds(3), Duration.ofMillis(500), Path.of("target"), true, Duration.ofMillis(100), "ws", 0,
                Duration.ofSeconds(2), heartbeat);
        Phases phases = new Phases(params);
        phases.start();
        return phases;
    }

    @Test
    void aPublishIntervalLongerThanThePhaseIsCutAtThePhasesEnd() {
        Phases phases = startedPhases(0.01);
        Duration pause = phases.nextPublish(new SplittableRandom(1), Duration.ofSeconds(100));
        assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(31)).isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void aShortPublishIntervalIsKeptWithinTwentyPercent() {
        Phases phases = startedPhases(2);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            assertThat(phases.nextPublish(random, Duration.ofMillis(500))).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
        }
    }

    @Test
    void theWaitForAPublishIsCutIntoHeartbeatsAndTheLastEndsAtThePublish() {
        Phases phases = startedPhases(0.01);
        long publishAt = System.currentTimeMillis() + 2_500;
        assertThat(phases.nextBeat(publishAt)).isEqualTo(Duration.ofSeconds(1));
        assertThat(phases.nextBeat(System.currentTimeMillis() + 400)).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
        assertThat(phases.nextBeat(System.currentTimeMillis() - 10)).isZero();
    }

    @Test
    void withoutAHeartbeatTheWholeWaitIsOnePause() {
        Phases phases = startedPhases(0.01, Duration.ZERO);
        assertThat(phases.nextBeat(System.currentTimeMillis() + 60_000)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
    }

    @Test
    void aSubSecondRampLastsASecondSoGatlingInjectsItsUsers() {
        assertThat(Phases.injectable(Duration.ofMillis(666))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Phases.injectable(Duration.ofMillis(5_500))).isEqualTo(Duration.ofMillis(5_500));
        assertThat(Phases.injectable(Duration.ofSeconds(25))).isEqualTo(Duration.ofSeconds(25));
        assertThat(Phases.injectable(Duration.ZERO)).as("all at once").isZero();
    }
}
