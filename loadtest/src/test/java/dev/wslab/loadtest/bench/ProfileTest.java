package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording of this very JVM while one of its threads burns CPU in this class and allocates. */
class ProfileTest {
    static volatile Object sink;

    @Test
    @SuppressWarnings("unchecked")
    void aRecordingSaysWhichOfOurMethodsRanWhatWasAllocatedAndWhichThreadsUsedTheCpu(@TempDir Path dir) throws Exception {
        Profile profile = Profile.start(ProcessHandle.current().pid(), dir.resolve("self.jfr"));
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // The thread outlives the recording: /proc lists live threads only.
        Thread burner = new Thread(() -> {
            burn();
            burnt.countDown();
            awaitQuietly(stopped);
        }, "burner");
        burner.start();
        burnt.await();
        Map<String, Object> summary = profile.stop();
        stopped.countDown();
        burner.join();

        assertThat((Long) summary.get("executionSamples")).isPositive();
        assertThat((Map<String, Long>) summary.get("ownCodeFrames")).containsKey(ProfileTest.class.getName() + ".burn");
        assertThat((Map<String, Long>) summary.get("allocatedBytesByClass")).isNotEmpty();
        assertThat((Map<String, Long>) summary.get("cpuMillisByThread")).containsKey("burner");
        assertThat(((Map<String, Long>) summary.get("cpuMillisByThread")).get("burner")).isGreaterThanOrEqualTo(500);
        assertThat(dir.resolve("self.jfr")).isNotEmptyFile();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** About a second of CPU in this method, allocating as it goes. */
    static void burn() {
        long until = System.nanoTime() + 1_000_000_000L;
        List<long[]> kept = new ArrayList<>();
        while (System.nanoTime() < until) {
            long[] block = new long[64];
            for (int i = 0; i < block.length; i++) {
                block[i] = i * System.nanoTime();
            }
            kept.add(block);
            if (kept.size() > 1000) {
                sink = kept;
                kept = new ArrayList<>();
            }
        }
        sink = kept;
    }
}
