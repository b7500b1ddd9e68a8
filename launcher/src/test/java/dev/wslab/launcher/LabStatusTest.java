package dev.wslab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabStatusTest {
    @TempDir
    Path home;

    private LabStatus status() {
        LabTopology topology = LabTopology.defaults(home, 1);
        PrintStream silent = new PrintStream(new ByteArrayOutputStream(), true);
        Lab lab = new Lab(topology, silent);
        NodePlacement placement = new NodePlacement(topology);
        return new LabStatus(lab, placement, new LabProcesses(topology, silent, lab.http(), placement));
    }

    /** What the status line printed when it matched the answer with regexes: the text must not change. */
    private static String byRegex(String load) {
        StringBuilder sb = new StringBuilder();
        for (String key : List.of("connections", "weight", "share")) {
            Matcher m = Pattern.compile("\"" + key + "\":([0-9.]+)").matcher(load);
            if (m.find()) {
                sb.append(' ').append(key).append('=').append(m.group(1));
            }
        }
        return sb.toString();
    }

    @Test
    void summarisesANodesLoadAnswer() {
        assertThat(status().loadSummary("{\"node\":\"node-1\",\"connections\":120,\"queuedFrames\":0,\"heapUsed\":0.123,"
                + "\"weight\":100,\"share\":0.333,\"clusterNodes\":3,\"clusterConnections\":360,\"maxOverMin\":1.0,"
                + "\"cv\":0.0,\"draining\":false}"))
                .isEqualTo(" connections=120 weight=100 share=0.333");
    }

    @Test
    void printsWhatTheRegexesPrinted() {
        LabStatus status = status();
        for (String load : List.of(
                "{\"node\":\"node-2\",\"connections\":0,\"weight\":0,\"share\":0.0,\"draining\":true}",
                "{\"connections\":7,\"weight\":1,\"share\":1.0}",
                "{\"share\":0.330,\"weight\":55,\"connections\":18}",
                "{\"node\":\"node-1\"}",
                "{\"connections\":3,\"weight\":-1}",
                "{\"type\":\"error\",\"code\":\"draining\",\"message\":\"node-1 is draining\"}",
                "Service Unavailable",
                "")) {
            assertThat(status.loadSummary(load)).as(load).isEqualTo(byRegex(load));
        }
    }
}
