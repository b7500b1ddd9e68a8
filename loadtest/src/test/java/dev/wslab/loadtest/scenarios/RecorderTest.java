package dev.wslab.loadtest.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecorderTest {
    @Test
    void thePeakCountsTheBusiestWindowWhereverItStarts() {
        List<Long> times = List.of(0L, 950L, 990L, 1010L, 1020L, 3000L);
        assertThat(Recorder.peakWithin(times, 1000)).isEqualTo(4);
        assertThat(Recorder.peakWithin(times, 100)).isEqualTo(4);
        assertThat(Recorder.peakWithin(times, 50)).isEqualTo(3);
        assertThat(Recorder.peakWithin(List.of(), 1000)).isZero();
    }

    @Test
    void aReconnectAndItsResumeAreCountedTogetherEvenWhenTheRunEndsBetweenThem() {
        Recorder r = new Recorder();
        r.connected(1, "node-1", -1);
        r.joined(1, "room-0", 3, -1, 0, -1);
        r.disconnected(1);
        r.connected(1, "node-2", 40);
        r.endOfRun();
        r.joined(1, "room-0", 5, 2, 0, 45);
        r.disconnected(1);
        r.connected(1, "node-1", 30);
        r.joined(1, "room-0", 6, 1, 0, 35);
        assertThat(r.summary()).containsEntry("reconnects", 1).containsEntry("resumes", 1);
    }

    @Test
    void aMessageInAGapTheNodeReportedIsCountedAsReportedAndTheSequenceGoesOnWithoutAGap() {
        Recorder r = new Recorder();
        r.joined(1, "room-0", 4, -1, 0, -1);
        r.joined(2, "room-0", 4, -1, 0, -1);
        r.publishing("room-0", "2-1");
        r.acked("2-1", 5);
        r.received(2, "room-0", "2-1", 5, 0, 0);
        r.gap(1, "room-0", 5, 10_000_004);
        r.publishing("room-0", "2-2");
        r.acked("2-2", 10_000_005);
        r.received(1, "room-0", "2-2", 10_000_005, 0, 0);
        r.received(2, "room-0", "2-2", 10_000_005, 0, 0);
        assertThat(r.summary()).containsEntry("messagesInReportedGaps", 1L).containsEntry("gapEvents", 1L)
                .containsEntry("messagesLost", 0L).containsEntry("deliveriesReceived", 3L);
        // Member 2 was told of no gap: its jump from 5 to 10,000,005 is one it should not have seen.
        assertThat((Long) r.summary().get("seqGaps")).isEqualTo(9_999_999L);
    }

    @Test
    void aMessageNobodyReceivedAndNoGapReportedIsLost() {
        Recorder r = new Recorder();
        r.joined(1, "room-0", 4, -1, 0, -1);
        r.publishing("room-0", "1-1");
        r.acked("1-1", 5);
        r.gap(1, "room-0", 7, 9);
        assertThat(r.summary()).containsEntry("messagesLost", 1L).containsEntry("messagesInReportedGaps", 0L);
    }

    @Test
    void aMoveHintIsTakenOnce() {
        Recorder r = new Recorder();
        r.moveHint(7, 1234);
        assertThat(r.hasMoveHint(7)).isTrue();
        assertThat(r.takeMoveHint(7)).isEqualTo(1234);
        assertThat(r.takeMoveHint(7)).isEqualTo(-1);
        assertThat(r.summary()).containsEntry("moves", 1);
    }

    @Test
    void withoutJitterEveryClientWaitsTheCapWithJitterAnywhereUpToIt() {
        SplittableRandom random = new SplittableRandom(1);
        Duration base = Duration.ofMillis(1000);
        assertThat(Reconnection.backoff(1, random, false, base)).isEqualTo(Duration.ofMillis(1000));
        assertThat(Reconnection.backoff(2, random, false, base)).isEqualTo(Duration.ofMillis(2000));
        assertThat(Reconnection.backoff(9, random, false, base)).as("capped").isEqualTo(Duration.ofMillis(2000));
        for (int i = 0; i < 100; i++) {
            assertThat(Reconnection.backoff(1, random, true, base).toMillis()).isBetween(0L, 1000L);
        }
    }
}
