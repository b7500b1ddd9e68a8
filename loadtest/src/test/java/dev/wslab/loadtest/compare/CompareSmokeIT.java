package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke version of {@code ./lab compare}: every scenario through every configuration, seconds
 * long, on a lab of its own (free ports), through the runner's own code. The scenarios stay working
 * and their invariants hold: with the Redis bus nothing is lost, duplicated or out of sequence; without
 * it, members on other nodes miss messages, and the report draws its charts in a real browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareSmokeIT {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    Path dir;
    final Plan plan = new Plan(Plan.EXPERIMENTS, 1, Duration.ofSeconds(1), Duration.ofSeconds(4), 12, 7);
    LabTopology topology;
    List<RunRecord> records;
    Path results;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    void runEveryExperimentOnce(@TempDir Path tempDir) {
        dir = tempDir;
        topology = LabTopology.onFreePorts(HOME, dir.resolve("run"), 3);
        results = dir.resolve("results");
        PrintStream out = new PrintStream(log, true);
        records = new Comparison(new Lab(topology, out), plan, results, out).run();
        new Results(plan, records, CompareMain.machine(false)).write(results, "CompareSmokeIT");
        System.out.print(log);
    }

    @AfterAll
    void down() {
        new Lab(topology, System.out).down();
    }

    private RunRecord run(String experiment, String configuration) {
        return records.stream().filter(r -> r.experiment().equals(experiment) && r.configuration().equals(configuration))
                .findFirst().orElseThrow();
    }

    @Test
    void everyRunCompletesAndReportsItsLoadGeneratorCpu() {
        // rooms and backend × 3, churn × 2, restart and scaleout × 4 (sticky, roundrobin, weighted, rebalance)
        assertThat(records).hasSize(16);
        for (RunRecord r : records) {
            assertThat(r.gatling().succeeded()).as(r.experiment() + "/" + r.configuration() + " " + r.gatling().log()).isTrue();
            assertThat(r.scenario("generator.machineShare")).as("generator cpu").isPositive();
            assertThat(r.scenario("published")).as("published").isPositive();
        }
    }

    @Test
    void withTheRedisBusEveryMemberGetsEveryMessageOnceAndInOrder() {
        for (RunRecord r : records) {
            if (r.configuration().equals("nobus")) {
                continue;
            }
            String what = r.experiment() + "/" + r.configuration();
            assertThat(r.scenario("deliveriesOwed")).as(what + " owed").isPositive();
            assertThat(r.scenario("messagesLost")).as(what + " lost").isZero();
            assertThat(r.scenario("duplicates")).as(what + " duplicates").isZero();
            assertThat(r.scenario("seqGaps")).as(what + " gaps").isZero();
            // A restart or a move closes sockets mid-publish: those publishes fail, visibly.
            if (!r.experiment().equals("restart") && !r.experiment().equals("scaleout")) {
                assertThat(r.gatling().ko()).as(what + " KO").isZero();
            }
        }
    }

    @Test
    void withoutTheBusMembersOnOtherNodesMissMessages() {
        for (String experiment : List.of("rooms", "backend")) {
            RunRecord r = run(experiment, "nobus");
            assertThat(r.scenario("messagesLost")).as(experiment + " lost without the bus").isPositive();
            assertThat(r.scenario("messagesLost")).isLessThan(r.scenario("deliveriesOwed"));
        }
    }

    @Test
    void stickyReconnectsLandOnTheSameNode() {
        RunRecord sticky = run("churn", "sticky");
        assertThat(sticky.scenario("reconnects")).isPositive();
        assertThat(sticky.scenario("reconnectSameNodePercent")).isEqualTo(100.0);
        assertThat(sticky.scenario("resumes")).isEqualTo(sticky.scenario("reconnects"));
    }

    @Test
    void aRestartedNodesClientsReconnectAndResume() {
        for (String policy : List.of("sticky", "roundrobin")) {
            RunRecord r = run("restart", policy);
            assertThat(r.scenario("reconnects")).as(policy + " reconnects").isPositive();
            assertThat(r.scenario("resumes")).as(policy + " resumes").isPositive();
            assertThat(r.scenario("reconnectMillis.max")).as(policy + " reconnect time").isPositive();
        }
    }

    @Test
    void aScaleOutBringsTheLastNodeBackAndTheSamplerRecordsTheSpreadAfterIt() {
        for (String configuration : List.of("sticky", "roundrobin", "weighted", "rebalance")) {
            RunRecord r = run("scaleout", configuration);
            assertThat(r.serverValue("fault_at_sample_ms")).as(configuration + " fault time").isPositive();
            // max/min over the serving nodes: a value at all means samples of two or more nodes after the fault.
            assertThat(r.serverValue("worst_maxmin")).as(configuration + " worst spread").isGreaterThanOrEqualTo(1.0);
            assertThat(r.dir().resolve("samples.csv")).content().contains("node-3");
        }
        assertThat(new Lab(topology, System.out).isRunning("node-3")).isTrue();
    }

    @Test
    void theNodesAndHaproxyReportEachRun() {
        for (RunRecord r : records) {
            assertThat(r.serverValue("broadcast_p99_ms")).as(r.experiment() + "/" + r.configuration() + " broadcast p99").isPositive();
            assertThat(r.haproxySessions().values().stream().mapToLong(Long::longValue).sum())
                    .as("haproxy sessions").isGreaterThanOrEqualTo(12);
        }
    }

    @Test
    void prometheusScrapedTheRunnersSeriesForEachRunAndEachFault() {
        PrometheusClient prometheus = new PrometheusClient(topology.url(topology.prometheusPort(), ""));
        long now = System.currentTimeMillis();
        Map<String, Double> runs = prometheus.query(
                "count by (experiment) (count_over_time(wslab_compare_run[30m]) > 0)", now, "experiment");
        // Each experiment's configurations are separate series: rooms and backend × 3, churn × 2,
        // restart and scaleout × 4.
        assertThat(runs).containsExactlyInAnyOrderEntriesOf(Map.of("rooms", 3.0, "churn", 2.0, "restart", 4.0,
                "backend", 3.0, "scaleout", 4.0));
        Map<String, Double> faults = prometheus.query(
                "count by (fault) (count_over_time(wslab_compare_fault[30m]) > 0)", now, "fault");
        assertThat(faults).containsExactlyInAnyOrderEntriesOf(Map.of("restart", 4.0, "scaleout", 4.0));
    }

    @Test
    void theSummaryPutsTheConfigurationsSideBySide() throws Exception {
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary).contains("## rooms", "## churn", "## restart", "## backend", "## scaleout",
                "| measure | unit | sticky | roundrobin | nobus |", "Deliveries lost", "Load generator CPU");
        assertThat(Files.readString(results.resolve("data.json"))).contains("\"runs\"");
        Map<String, Map<String, Map<String, Results.Spread3>>> table = new Results(plan, records, Map.of()).table();
        assertThat(table.get("rooms").get("lost").get("sticky").median()).isZero();
    }

    @Test
    void theReportDrawsEveryChartInHeadlessChromium() throws Exception {
        HeadlessChromium report = HeadlessChromium.load(results.resolve("report.html"), dir);
        int expected = new Results(plan, records, Map.of()).table().values().stream().mapToInt(Map::size).sum();
        assertThat(report.bodyCount("data-charts")).isEqualTo(expected);
        assertThat(report.drawn("data-drawn")).isEqualTo(expected);
        assertThat(Pattern.compile("<rect ").matcher(report.dom()).results().count()).isGreaterThanOrEqualTo(expected);
        // The experiments with a fault (restart, scaleout) chart the spread over time, a line per configuration.
        assertThat(report.bodyCount("data-timelines")).isEqualTo(2);
        assertThat(report.drawn("data-drawn-timeline")).isEqualTo(2);
    }
}
