package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab bench durability} at a few hundred publishes: every variant priced on a real Redis Cluster. */
class PublishCostIT {
    @TempDir
    Path results;

    @Test
    void everyVariantIsPricedOnTheShardsMasterAndReplicaAndWaitIsConfirmedByTheReplica() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path home = BenchSmokeIT.HOME;
        int exit = PublishCost.main(home, new String[] {"--repeats", "1", "--publishes", "500", "--results", results.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        // A WAIT the replica did not confirm fails the run, so exit 0 says every publish of that variant reached it.
        assertThat(exit).as(out).isZero();
        String summary = Files.readString(results.resolve("summary.md"));
        assertThat(summary).contains("| plain | ", "| fence | ", "| fence and wait | ");
        assertThat(out).containsPattern("PLAIN +master \\d+\\.\\d+ µs/publish")
                .doesNotContain("master 0.00 µs/publish");
    }

    @Test
    void theSummaryGivesTheMedianAndTheRangeOfTheRepeats() {
        assertThat(PublishCost.spread(new double[] {3, 1, 2}, "%.1f")).isEqualTo("2.0 (1.0–3.0)");
        assertThat(PublishCost.spread(new double[] {4}, "%.1f")).isEqualTo("4.0");
    }
}
