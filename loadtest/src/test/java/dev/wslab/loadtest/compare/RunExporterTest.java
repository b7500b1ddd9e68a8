package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExporterTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path targets;

    @Test
    void announcesItselfToPrometheusWhileItLivesAndWithdrawsAfter() throws Exception {
        RunExporter exporter = new RunExporter("127.0.0.1", targets, new ManualClock());
        Path file = targets.resolve(RunExporter.TARGET_FILE);
        assertThat(Files.readString(file)).isEqualTo("[{\"targets\": [\"127.0.0.1:" + exporter.port() + "\"]}]\n");
        exporter.running("rooms", "sticky", 2);
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + exporter.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("wslab_compare_run{experiment=\"rooms\",configuration=\"sticky\",repeat=\"2\"} 1\n");
        exporter.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void aRunIsExportedOnlyWhileItIsUnderLoad() {
        try (RunExporter exporter = new RunExporter("127.0.0.1", targets, new ManualClock())) {
            assertThat(exporter.metrics()).doesNotContain("wslab_compare_run{");
            exporter.running("restart", "roundrobin", 1);
            assertThat(exporter.metrics()).contains("wslab_compare_run{experiment=\"restart\",configuration=\"roundrobin\",repeat=\"1\"} 1");
            exporter.idle();
            assertThat(exporter.metrics()).doesNotContain("wslab_compare_run{");
        }
    }

    @Test
    void aFaultIsMarkedForTenSecondsAfterItsInjection() {
        ManualClock clock = new ManualClock();
        try (RunExporter exporter = new RunExporter("127.0.0.1", targets, clock)) {
            exporter.faultInjected("restart", "sticky", "restart", "node-2");
            String marked = "wslab_compare_fault{experiment=\"restart\",configuration=\"sticky\",fault=\"restart\",node=\"node-2\"} 1";
            assertThat(exporter.metrics()).contains(marked);
            clock.now = clock.now.plus(RunExporter.FAULT_MARK.minus(Duration.ofMillis(1)));
            assertThat(exporter.metrics()).contains(marked);
            clock.now = clock.now.plus(Duration.ofMillis(1));
            assertThat(exporter.metrics()).doesNotContain("wslab_compare_fault{");
        }
    }
}
