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
 * The stickiness-failure matrix ({@code ./lab compare --experiments transports}) seconds long, through
 * the runner's own code on a lab of its own, its round-robin cells: node-local sessions break there,
 * shared ones are forwarded instead and lose nothing. (Sticky sessions: SessionsIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportsSmokeIT {
    /** The round-robin half of the matrix: where sessions break or are forwarded (each run is ~45 s in CI). */
    static final List<String> CELLS = List.of("sse-roundrobin", "sse-roundrobin-shared", "poll-roundrobin", "poll-roundrobin-shared");
    final Plan plan = new Plan(Plan.TRANSPORTS, 1, Duration.ofSeconds(1), Duration.ofSeconds(4), 12, 7, CELLS);
    SmokeComparison smoke;
    List<RunRecord> records;
    Path results;

    @BeforeAll
    void runTheMatrixOnce(@TempDir Path dir) {
        smoke = SmokeComparison.run(plan, dir, "TransportsSmokeIT");
        records = smoke.records();
        results = smoke.results();
    }

    @AfterAll
    void down() {
        smoke.down();
    }

    private RunRecord run(String configuration) {
        return records.stream().filter(r -> r.configuration().equals(configuration)).findFirst().orElseThrow();
    }

    @Test
    void everyCellRunsAndThoseWithSessionsSomewhereSeeTraffic() {
        assertThat(records).extracting(RunRecord::configuration).containsExactlyInAnyOrderElementsOf(CELLS);
        assertThat(Configuration.transports()).extracting(Configuration::name).containsAll(CELLS).hasSize(10);
        for (String c : List.of("sse-roundrobin-shared", "poll-roundrobin-shared")) {
            RunRecord r = run(c);
            assertThat(r.gatling().succeeded()).as(c + " " + r.gatling().log()).isTrue();
            assertThat(r.scenario("published")).as(c + " published").isPositive();
            assertThat(r.scenario("deliveriesOwed")).as(c + " owed").isPositive();
        }
    }

    @Test
    void sharedSessionsThroughRoundRobinAreForwardedAndLoseNothing() {
        for (String c : List.of("sse-roundrobin-shared", "poll-roundrobin-shared")) {
            RunRecord r = run(c);
            assertThat(r.serverValue("forwarded")).as(c + " forwarded").isPositive();
            assertThat(r.scenario("messagesLost")).as(c + " lost").isZero();
            assertThat(r.scenario("duplicates")).as(c + " duplicates").isZero();
            assertThat(r.scenario("seqGaps")).as(c + " gaps").isZero();
            assertThat(r.errorEvents("unknown_session")).as(c + " unknown sessions seen").isZero();
            assertThat(r.serverValue("unknown_sessions")).as(c + " unknown sessions counted").isZero();
        }
        assertThat(CompareMain.invariantsBroken(records)).isEmpty();
    }

    @Test
    void nodeLocalSessionsThroughRoundRobinMeetUnknownSessions() {
        for (String c : List.of("sse-roundrobin", "poll-roundrobin")) {
            RunRecord r = run(c);
            assertThat(r.errorEvents("unknown_session")).as(c + " unknown seen").isPositive();
            assertThat(r.serverValue("unknown_sessions")).as(c + " unknown counted").isPositive();
            assertThat(r.serverValue("forwarded")).as(c + " forwards nothing").isZero();
        }
    }

    @Test
    void theSummaryHasTheMatrix() throws Exception {
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary).contains("## transports", "poll-roundrobin-shared", "Requests for a session the node did not hold",
                "Session requests forwarded");
    }
}
