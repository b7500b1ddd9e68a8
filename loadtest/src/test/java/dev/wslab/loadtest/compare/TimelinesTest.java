package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wslab.loadtest.compare.LoadSampler.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelinesTest {
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

    private static Path written(Path dir, List<Sample> samples) throws Exception {
        Files.writeString(dir.resolve("samples.csv"), LoadSampler.csv(NODES, samples));
        return dir.resolve("samples.csv");
    }

    private static Sample sample(long at, Map<String, Long> connections, Map<String, Boolean> draining, Map<String, Long> sessions) {
        return new Sample(at, connections, draining, 10, 100, sessions, 0);
    }

    @Test
    void theSpreadIsTheCvOfTheServingNodesAgainstSecondsSinceTheFault(@TempDir Path dir) throws Exception {
        Path csv = written(dir, List.of(
                sample(0, Map.of("node-1", 45L, "node-2", 45L), Map.of("node-1", false, "node-2", false), Map.of()),
                sample(2000, Map.of("node-1", 30L, "node-2", 30L, "node-3", 30L), Map.of(), Map.of()),
                sample(2200, Map.of("node-1", 30L, "node-2", 0L, "node-3", 60L), Map.of("node-2", true), Map.of())));
        List<double[]> t = Timelines.spread(csv, 1000);
        assertThat(t).hasSize(3);
        assertThat(t.get(0)).containsExactly(-1.0, 0.0);
        assertThat(t.get(1)).containsExactly(1.0, 0.0);
        assertThat(t.get(2)[1]).as("node-2 drains: 30 vs 60").isCloseTo(1.0 / 3, within(1e-9));
    }

    /**
     * node-3 joins at 1,000 ms; from the sample that shows its first session on, each second's
     * arrivals are split: in the first second it takes 9 of 10 (a leastconn surge), in the next 3 of 9.
     */
    @Test
    void theJoinedShareIsTheJoiningNodesPartOfEachSecondsNewSessions(@TempDir Path dir) throws Exception {
        List<Sample> samples = new ArrayList<>();
        Map<String, Long> two = Map.of("node-1", 50L, "node-2", 50L);
        samples.add(sample(0, two, Map.of(), Map.of("sticky/node-1", 50L, "sticky/node-2", 50L)));
        samples.add(sample(1200, Map.of("node-1", 50L, "node-2", 50L, "node-3", 0L), Map.of(),
                Map.of("sticky/node-1", 50L, "sticky/node-2", 50L, "sticky/node-3", 0L)));
        // node-2's new session came in the 200 ms before node-3's first, while node-3 was not up yet.
        samples.add(sample(1400, two, Map.of(), Map.of("sticky/node-1", 50L, "sticky/node-2", 51L, "sticky/node-3", 1L)));
        samples.add(sample(2400, two, Map.of(), Map.of("sticky/node-1", 51L, "sticky/node-2", 51L, "sticky/node-3", 10L)));
        samples.add(sample(2600, two, Map.of(), Map.of()));
        samples.add(sample(3400, two, Map.of(), Map.of("sticky/node-1", 54L, "sticky/node-2", 54L, "sticky/node-3", 13L)));
        List<double[]> share = Timelines.joinedShare(written(dir, samples), 1000);
        assertThat(share).hasSize(2);
        assertThat(share.get(0)[0]).isEqualTo(1.4);
        assertThat(share.get(0)[1]).as("9 of the 10 sessions from 1,400 to 2,400 ms, not node-2's before node-3's first")
                .isCloseTo(90.0, within(1e-9));
        assertThat(share.get(1)[0]).as("a sample HAProxy did not answer is passed over").isEqualTo(2.4);
        assertThat(share.get(1)[1]).as("3 of 9 from 2,400 to 3,400 ms").isCloseTo(100.0 / 3, within(1e-9));
    }

    @Test
    void noNodeJoinedMeansNoShareLine(@TempDir Path dir) throws Exception {
        Map<String, Long> three = Map.of("node-1", 30L, "node-2", 30L, "node-3", 30L);
        Path csv = written(dir, List.of(sample(0, three, Map.of(), Map.of("sticky/node-1", 30L)),
                sample(2000, three, Map.of(), Map.of("sticky/node-1", 40L))));
        assertThat(Timelines.joinedShare(csv, 1000)).isEmpty();
    }
}
