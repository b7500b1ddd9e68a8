package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The smoke version of {@code ./lab compare --experiments drains}: node-2 is drained under Gatling
 * load by each of the four strategies, with and without client jitter, on a lab of its own. The three
 * that close sockets move every client off node-2, which come back elsewhere and resume with nothing
 * lost; HAProxy's drain alone closes nothing, so nobody reconnects and node-2 keeps its clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrainsSmokeIT {
    static final List<String> CLOSING = List.of("drain-all", "drain-batches", "drain-spread");

    final Plan plan = new Plan(Plan.DRAINS, 1, Duration.ofSeconds(1), Duration.ofSeconds(14), 12, 7);
    SmokeComparison smoke;
    List<RunRecord> records;
    Path results;

    @BeforeAll
    void runTheDrainExperiments(@TempDir Path dir) {
        smoke = SmokeComparison.run(plan, dir, "DrainsSmokeIT");
        records = smoke.records();
        results = smoke.results();
    }

    @AfterAll
    void down() {
        smoke.down();
    }

    private List<RunRecord> runsOf(String experiment) {
        return records.stream().filter(r -> r.experiment().equals(experiment)).toList();
    }

    @Test
    void everyStrategyRunsWithAndWithoutJitter() {
        assertThat(records).extracting(RunRecord::experiment).containsOnlyElementsOf(Plan.DRAINS);
        for (String experiment : Plan.DRAINS) {
            assertThat(runsOf(experiment)).extracting(RunRecord::configuration)
                    .as(experiment).containsExactlyInAnyOrder(Configuration.STICKY.name(), Configuration.NOJITTER.name());
        }
        for (RunRecord r : records) {
            assertThat(r.gatling().succeeded()).as(r.experiment() + "/" + r.configuration() + " " + r.gatling().log()).isTrue();
            assertThat(r.scenario("deliveriesOwed")).as(r.experiment() + "/" + r.configuration() + " owed").isPositive();
        }
    }

    @Test
    void drainsThatCloseSocketsMoveEveryClientOffTheNodeAndTheyResumeWithNothingLost() {
        for (String experiment : CLOSING) {
            for (RunRecord r : runsOf(experiment)) {
                String what = experiment + "/" + r.configuration();
                assertThat(r.scenario("reconnects")).as(what + " reconnects").isPositive();
                assertThat(r.scenario("resumes")).as(what + " resumes").isPositive();
                assertThat(r.scenario("reconnectPeakPerSecond")).as(what + " reconnect peak").isPositive();
                assertThat(r.serverValue("fault_node_left")).as(what + " left on node-2").isZero();
            }
        }
        assertThat(CompareMain.invariantsBroken(records)).isEmpty();
    }

    @Test
    void haproxysDrainAloneClosesNothingAndTheNodeKeepsItsClients() {
        for (RunRecord r : runsOf("drain-lb")) {
            String what = "drain-lb/" + r.configuration();
            assertThat(r.scenario("reconnects")).as(what + " reconnects").isZero();
            assertThat(r.serverValue("fault_node_left")).as(what + " left on node-2").isPositive();
        }
    }

    @Test
    void theSummaryAsksEachStrategysQuestion() throws Exception {
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary).contains("every socket closed at once", "5 sockets closed per second",
                "each socket closed at a random moment within 6 s", "HAProxy drain only, nothing closed",
                "Connections left on the drained node at the end");
    }
}
