package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench harness itself, tiny: 50 subscribers per target (the floor batched and naive, one, two and
 * three nodes, three nodes through HAProxy, one and two Node.js peers) at two gentle rates, the cost run
 * (each target restarted, a cold and a warm window), and a few hundred idle sockets on one node. At this
 * load nothing saturates, so every owed delivery must arrive, and the figures are written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeIT {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    LabTopology topology;
    JsonNode data;
    String summary;
    String report;
    Path results;

    @BeforeAll
    void runTheBench(@TempDir Path dir) throws Exception {
        topology = LabTopology.onFreePorts(HOME, dir.resolve("run"), 3);
        BenchMain.Plan plan = new BenchMain.Plan(List.of(50), List.of(1_000, 2_500), List.of(300, 600), Duration.ofSeconds(1), Targets.ALL, 1,
                new Cost.Plan(50, 2_500, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, true));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        results = dir.resolve("results");
        Map<String, Object> result = new BenchMain.Bench(topology, plan, results, new PrintStream(log, true)).run("all");
        System.out.print(log);
        data = new ObjectMapper().valueToTree(result);
        summary = BenchReport.markdown(result);
        report = BenchReport.html(result);
    }

    @AfterAll
    void down() {
        new Lab(topology, System.out).down();
    }

    static final List<String> TARGETS = List.of("floor", "floor, naive", "node ×1", "nodes ×2", "nodes ×3", "nodes ×3 via HAProxy",
            "Node.js peer ×1", "Node.js peers ×2");
    /** The first six of {@link #TARGETS} run on a JVM (the floors, the nodes), and are profiled. */
    static final int JVM_TARGETS = 6;

    @Test
    void everyTargetDeliversEveryOwedMessageAtGentleRates() {
        JsonNode steps = data.path("fanout");
        assertThat(steps.size()).isEqualTo(TARGETS.size() * 2);
        everyOwedDeliveryArrived(steps);
        assertThat(steps.findValuesAsText("target")).containsExactlyInAnyOrderElementsOf(
                TARGETS.stream().flatMap(t -> java.util.stream.Stream.of(t, t)).toList());
    }

    @Test
    void theCostRunPricesEveryTargetColdAndWarmInCpuMicrosOfItsOwnProcessesAndOfTheGenerator() {
        JsonNode steps = data.path("cost");
        // A cold and a warm window each, and one more under JFR for each target served by a JVM.
        assertThat(steps.size()).isEqualTo(TARGETS.size() * 2 + JVM_TARGETS);
        everyOwedDeliveryArrived(steps);
        for (JsonNode s : steps) {
            String what = s.path("target").asText() + " " + s.path("phase").asText();
            assertThat(s.path("phase").asText()).as(what).isIn("cold", "warm", "profiled");
            // More than nothing; under 10 ms a delivery even for a JVM compiling its first second (a unit
            // slip, nanoseconds for microseconds, would be a thousand times off).
            assertThat(s.path("serverMicros").asDouble()).as(what + " server µs").isGreaterThan(0).isLessThan(10_000);
            assertThat(s.path("generatorMicros").asDouble()).as(what + " generator µs").isGreaterThan(0).isLessThan(10_000);
        }
        assertThat(summary).contains("## Cost: CPU µs per delivery", "| Node.js peers ×2 | warm | 1 |", "| nodes ×2 | cold | 1 |");
    }

    /**
     * At this gentle load a JVM can spend its window in the kernel and get no Java execution sample
     * at all, so samples are asserted over all the windows together; ProfileTest checks what a
     * recording with samples says.
     */
    @Test
    void theProfiledWindowOfEachJvmTargetIsRecordedAndSummarised() {
        JsonNode profiles = data.path("profiles");
        assertThat(profiles.findValuesAsText("target")).containsExactlyInAnyOrderElementsOf(TARGETS.subList(0, JVM_TARGETS));
        long samples = 0;
        for (JsonNode p : profiles) {
            String what = p.path("target").asText();
            assertThat(p.has("executionSamples")).as(what).isTrue();
            samples += p.path("executionSamples").asLong();
            assertThat(p.path("cpuMillisByThread").fieldNames()).toIterable().as(what).anyMatch(n -> n.contains("I/O"));
            assertThat(results.resolve(p.path("recording").asText())).as(what).isNotEmptyFile();
        }
        assertThat(samples).as("execution samples over every profiled window").isPositive();
        assertThat(summary).contains("### Where the CPU went: node ×1", "### Warm windows by thread");
        JsonNode threads = data.path("threads");
        assertThat(threads.findValuesAsText("target")).containsExactlyInAnyOrderElementsOf(TARGETS.subList(0, JVM_TARGETS));
        for (JsonNode t : threads) {
            String what = t.path("target").asText();
            assertThat(t.path("cpuMillisByThread").fieldNames()).toIterable().as(what).anyMatch(n -> n.contains("I/O"));
            long total = 0;
            for (JsonNode ms : t.path("cpuMillisByThread")) {
                total += ms.asLong();
            }
            assertThat(total).as(what + ": CPU of the warm window").isPositive();
        }
    }

    private static void everyOwedDeliveryArrived(JsonNode steps) {
        for (JsonNode s : steps) {
            String what = s.path("target").asText() + " " + s.path("phase").asText() + " at " + s.path("rate").asInt();
            assertThat(s.path("published").asLong()).as(what + " published").isPositive();
            assertThat(s.path("delivered").asLong()).as(what + " delivered").isEqualTo(s.path("owed").asLong());
            assertThat(s.path("latencyMillis").path("p99").asDouble()).as(what + " p99").isPositive();
            assertThat(s.path("saturated").asBoolean()).as(what).isFalse();
        }
    }

    @Test
    void capacityOpensEveryStepAndPricesEachConnection() {
        JsonNode steps = data.path("capacity");
        assertThat(steps.size()).isEqualTo(2);
        for (JsonNode s : steps) {
            assertThat(s.path("open").asLong()).isEqualTo(s.path("target").asLong());
            assertThat(s.path("stoppedBy").isNull()).isTrue();
            assertThat(s.path("rssMiB").asDouble()).isPositive();
            // A socket holds some heap on the node, and far less than the 64 KiB a careless buffer would.
            assertThat(s.path("heapBytesPerConnection").asDouble()).isGreaterThan(100).isLessThan(65_536);
        }
        assertThat(results.resolve("capacity-heap-histogram.txt")).content().contains("num", "#instances");
    }

    @Test
    void theSummaryStatesTheMachineAndTheRatioToTheFloor() {
        assertThat(summary).contains("cpu:", "of the floor", "| 50 | floor |", "Capacity");
        assertThat(data.path("machine").path("cpu").asText()).isNotBlank();
    }

    @Test
    void theReportChartsEveryTargetsStepsAndTheCapacitySteps() {
        // Per subscriber count: read/s and p99 against the offered rate; then capacity's two charts.
        assertThat(report.split("<svg ", -1)).hasSize(1 + 2 + 2);
        for (String target : TARGETS) {
            Matcher line = Pattern.compile("data-series=\"" + Pattern.quote(target) + "\" points=\"([^\"]*)\"").matcher(report);
            assertThat(line.find()).as(target).isTrue();
            assertThat(line.group(1).split(" ")).as(target + "'s points").hasSize(2);
        }
        assertThat(report).contains("Capacity: bytes per idle connection", "data-series=\"RSS\"", "| 50 | floor |");
    }
}
