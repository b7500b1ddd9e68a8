package dev.wslab.loadtest.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * The short soak that {@code ./lab test} runs: two minutes of churn, broadcasts and HTTP sessions
 * against a native lab on free ports, through the entry point {@code ./lab soak} calls. Nothing may
 * grow past its bound, and the report must show every figure of every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoakSmokeIT {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    LabTopology topology;
    Path results;
    int exit;
    String log;

    @BeforeAll
    void soak(@TempDir Path dir) {
        topology = LabTopology.onFreePorts(HOME, dir.resolve("run"), 3);
        results = dir.resolve("results");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exit = SoakMain.soak(topology, Soak.Plan.of(Duration.ofMinutes(2), 20), results, new PrintStream(out, true));
        log = out.toString();
        System.out.print(log);
    }

    @AfterAll
    void down() {
        new Lab(topology, System.out).down();
    }

    @Test
    void twoMinutesOfChurnLeaveNoFigureGrowingPastItsBound() throws Exception {
        assertThat(exit).as(log).isZero();
        JsonNode soak = new ObjectMapper().readTree(results.resolve("soak.json").toFile());
        assertThat(soak.path("leaks").asBoolean()).isFalse();
        // A sample every 5 s for 120 s; growth fitted on those after the 30 s warm-up.
        assertThat(soak.path("samples").size()).isBetween(24, 26);
        assertThat(soak.path("verdicts")).hasSize(3 * 3 + 2);
        for (JsonNode verdict : soak.path("verdicts")) {
            assertThat(verdict.asText()).endsWith("ok").contains("samples");
        }
    }

    @Test
    void theLoadChurnedWebSocketsBroadcastAndMadeAndAbandonedSessions() throws Exception {
        JsonNode load = new ObjectMapper().readTree(results.resolve("soak.json").toFile()).path("load");
        assertThat(load.path("websocket cycles").asLong()).isGreaterThan(500);
        assertThat(load.path("frames received").asLong()).isGreaterThan(load.path("websocket cycles").asLong());
        assertThat(load.path("broadcasts").asLong()).isGreaterThan(1000);
        assertThat(load.path("sessions ended").asLong()).isGreaterThan(100);
        assertThat(load.path("sessions abandoned").asLong()).isGreaterThan(100);
        long failures = load.path("websocket failures").asLong() + load.path("broadcast failures").asLong()
                + load.path("session failures").asLong();
        assertThat(failures).as("failed calls").isLessThan(5);
    }

    @Test
    void theReportDrawsEveryFigureForEveryNode() throws Exception {
        String html = Files.readString(results.resolve("report.html"));
        for (String figure : List.of(ResourceSampler.HEAP, ResourceSampler.FILES, ResourceSampler.THREADS,
                ResourceSampler.REDIS_MEMORY, ResourceSampler.REDIS_KEYS)) {
            assertThat(html).contains("<figcaption>" + figure.replace("(", "(") + "</figcaption>");
        }
        assertThat(html).contains("node-1").contains("node-2").contains("node-3").contains("no figure grows past its bound");
    }
}
