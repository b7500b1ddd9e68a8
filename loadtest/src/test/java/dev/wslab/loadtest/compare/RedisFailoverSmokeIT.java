package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke version of {@code ./lab chaos redis-failover}, through sticky only (the fault is the
 * bus's, not the load balancer's): under Gatling load, on a lab of its own on a Redis Cluster, the
 * master of the busiest room's slot is killed, its replica takes over and it comes back as a
 * replica. Publishes in between are refused, never lost silently: the invariant checker finds
 * nothing, and every shard has its master and replica again afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFailoverSmokeIT {
    final Plan plan = new Plan(List.of("redis-failover"), 1, Duration.ofSeconds(1), Duration.ofSeconds(14), 9, 7,
            List.of("sticky"));
    SmokeComparison smoke;
    List<RunRecord> records;
    Path results;

    @BeforeAll
    void runTheFailoverExperiment(@TempDir Path dir) {
        smoke = SmokeComparison.run(plan, dir, "RedisFailoverSmokeIT", true);
        records = smoke.records();
        results = smoke.results();
    }

    @AfterAll
    void down() {
        smoke.down();
    }

    @Test
    void publishesToTheDeadMastersRoomsAreRefusedThenDeliveredAgainAndTheInvariantCheckerFindsNothing() {
        assertThat(records).hasSize(1);
        RunRecord r = records.get(0);
        assertThat(r.gatling().succeeded()).as("gatling " + r.gatling().log()).isTrue();
        assertThat(r.scenario("publishFailures")).as("publishes refused while the shard had no master").isPositive();
        assertThat(r.errorEvents("unavailable")).as("refusals said as unavailable").isPositive();
        assertThat(r.scenario("deliveriesReceived")).as("delivered").isPositive();
        assertThat(r.scenario("messagesLost")).as("lost").isZero();
        assertThat(CompareMain.invariantsBroken(records)).isEmpty();
    }

    @Test
    void afterTheRunEveryShardHasItsMasterAndAReplicaAgain() {
        List<String> shards = new Lab(smoke.topology(), System.out).status().stream().filter(l -> l.trim().startsWith("master ")).toList();
        assertThat(shards).hasSize(3).allMatch(l -> l.matches(".*replicas 127\\.0\\.0\\.1:\\d+$")).noneMatch(l -> l.contains("failed"));
    }

    @Test
    void theSummaryDescribesTheFault() throws Exception {
        assertThat(Files.readString(results.resolve("summary.md"))).contains("room-0's slot killed");
    }
}
