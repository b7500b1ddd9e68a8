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
 * The smoke version of {@code ./lab chaos partition}: under Gatling load, node-2 runs in a network
 * namespace of its own and its link goes down for 6 s, through both policies, on a lab of its own.
 * Its clients are cut by HAProxy, come back elsewhere and resume: the invariant checker finds nothing,
 * and the lab is whole again afterwards (node-2 back on loopback, no namespace left).
 *
 * <p>At a publish per 50 s, longer than the run, a client publishes about once: only its heartbeat
 * (a ping a second) tells it that HAProxy cut its socket. Without one, a cut client noticed at its
 * next publish, up to the end of the run: outages of 13.4 and 13.6 s against 2.1 and 2.7 s (seed 7).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosSmokeIT {

    final Plan plan = new Plan(List.of("partition"), 1, Duration.ofSeconds(1), Duration.ofSeconds(14), 9, 7, List.of(),
            java.util.Map.of("wslab.rate", "0.02"));
    SmokeComparison smoke;
    List<RunRecord> records;
    Path results;

    @BeforeAll
    void runThePartitionExperiment(@TempDir Path dir) {
        smoke = SmokeComparison.run(plan, dir, "ChaosSmokeIT");
        records = smoke.records();
        results = smoke.results();
    }

    @AfterAll
    void down() {
        smoke.down();
    }

    @Test
    void thePartitionedNodesClientsComeBackElsewhereAndTheInvariantCheckerFindsNothing() {
        assertThat(records).hasSize(2);
        for (RunRecord r : records) {
            String what = r.configuration();
            assertThat(r.gatling().succeeded()).as(what + " " + r.gatling().log()).isTrue();
            assertThat(r.scenario("reconnects")).as(what + " reconnects").isPositive();
            assertThat(r.scenario("resumes")).as(what + " resumes").isPositive();
            // The outage includes HAProxy noticing (2 failed checks, 1 s apart): never instant; then
            // within a heartbeat (1 s) the client finds its socket cut, and backs off at most 2 s.
            assertThat(r.scenario("outageMillis.max")).as(what + " outage").isGreaterThan(500.0).isLessThan(6_000.0);
            assertThat(r.scenario("deliveriesOwed")).as(what + " owed").isPositive();
        }
        assertThat(CompareMain.invariantsBroken(records)).isEmpty();
    }

    @Test
    void afterTheRunTheNodeIsBackOnLoopbackAndTheClusterIsWhole() {
        Lab lab = new Lab(smoke.topology(), System.out);
        assertThat(lab.status()).noneMatch(line -> line.contains("netns="));
        assertThat(lab.health("node-2")).hasValueSatisfying(h -> assertThat(h).startsWith("200"));
        lab.awaitServersUp();
    }

    @Test
    void theSummaryDescribesTheFaultAndReportsTheOutage() throws Exception {
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary).contains("cut off the network", "Outage p99", "Deliveries lost");
    }
}
