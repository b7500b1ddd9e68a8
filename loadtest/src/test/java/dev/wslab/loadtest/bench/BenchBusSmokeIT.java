package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab bench bus}, tiny, the way a user runs it: 20 rooms over 2 nodes on one Redis, then on a
 * real Redis Cluster of 3 masters and 3 replicas, each started by the bench, at two gentle rates. A
 * class of its own beside BenchSmokeIT because it starts its own processes, not the lab's, and runs
 * alone in under a minute. At this load nothing saturates, so every message sent must be acked and
 * delivered on both targets, and every Redis must have been paid for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchBusSmokeIT {
    static final List<String> TARGETS = List.of("single Redis", "Redis Cluster 3+3");
    JsonNode data;
    String summary;
    Path results;

    @BeforeAll
    void runTheBusBench(@TempDir Path dir) throws Exception {
        results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = BusBench.run(new String[] {"--rooms", "20", "--rates", "300,600", "--step", "1", "--warmup", "1", "--repeats", "1",
                "--results", results.toString()}, BenchSmokeIT.HOME, new PrintStream(log, true), "usage");
        System.out.print(log);
        assertThat(exit).as(log.toString()).isZero();
        data = new ObjectMapper().readTree(results.resolve("data.json").toFile());
        summary = Files.readString(results.resolve("summary.md"));
    }

    @Test
    void bothTargetsAckAndDeliverEveryMessageSentAtGentleRates() {
        JsonNode steps = data.path("steps");
        assertThat(steps.findValuesAsText("target")).containsExactlyInAnyOrderElementsOf(
                TARGETS.stream().flatMap(t -> Stream.of(t, t)).toList());
        for (JsonNode s : steps) {
            String what = s.path("target").asText() + " at " + s.path("offered").asInt();
            assertThat(s.path("published").asLong()).as(what + " sent").isGreaterThanOrEqualTo((long) (0.95 * s.path("offered").asInt()));
            assertThat(s.path("acked").asLong()).as(what + " acked").isEqualTo(s.path("published").asLong());
            assertThat(s.path("delivered").asLong()).as(what + " delivered").isEqualTo(s.path("owed").asLong());
            assertThat(s.path("owed").asLong()).as(what + " owed").isEqualTo(s.path("published").asLong());
            assertThat(s.path("errors").asLong() + s.path("closed").asLong()).as(what + " errors and closed sockets").isZero();
            assertThat(s.path("ackMillis").path("p99").asDouble()).as(what + " publish p99").isPositive();
            assertThat(s.path("saturatedBy").isNull()).as(what + ": " + s.path("saturatedBy")).isTrue();
        }
        assertThat(data.path("failures")).isEmpty();
    }

    @Test
    void everyStepPricesRedisTheNodesAndTheGeneratorPerMessage() {
        for (JsonNode s : data.path("steps")) {
            String what = s.path("target").asText() + " at " + s.path("offered").asInt();
            // More than nothing, and under 10 ms a message (a unit slip would be a thousand times off).
            for (String price : List.of("redisMicros", "redisMastersMicros", "nodeMicros", "generatorMicros")) {
                assertThat(s.path(price).asDouble()).as(what + " " + price).isGreaterThan(0).isLessThan(10_000);
            }
            assertThat(s.path("redisShare").asDouble()).as(what + " Redis share").isPositive();
            assertThat(s.path("machineBusy").asDouble()).as(what + " machine busy").isPositive().isLessThanOrEqualTo(1.0);
        }
        JsonNode cluster = data.path("steps").findParents("target").stream()
                .filter(s -> s.path("target").asText().equals("Redis Cluster 3+3")).findFirst().orElseThrow();
        // The replicas replay the scripts' writes and the shard messages: they are part of the price.
        assertThat(cluster.path("redisReplicasMicros").asDouble()).isPositive();
    }

    @Test
    void theSummaryHasARowPerTargetAtSaturationAndAtTheCommonRateAndSaysWhatTheMachineCannotShow() throws Exception {
        assertThat(summary).contains("## At saturation", "## At 600 msg/s offered", "| single Redis | 1 |", "| Redis Cluster 3+3 | 1 |",
                "What this machine cannot show", "cpu:");
        assertThat(Files.readString(results.resolve("report.html")).split("<svg ", -1)).hasSize(1 + 3);
        try (Stream<Path> files = Files.walk(results)) {
            assertThat(files.map(Path::toString)).as("append-only files are deleted, logs kept")
                    .noneMatch(p -> p.contains("appendonly")).anyMatch(p -> p.endsWith("node-2.log"));
        }
    }
}
