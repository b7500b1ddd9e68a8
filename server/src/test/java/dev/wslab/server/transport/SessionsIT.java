package dev.wslab.server.transport;

import dev.wslab.server.Http;
import dev.wslab.server.Eventually;
import dev.wslab.server.SessionClient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP transports' sessions behind HAProxy, through the native lab: node-local sessions need the
 * sticky policy (round robin sends half the requests to a node that has never heard of the session),
 * shared sessions work through either because the node that gets a request forwards it to the owner.
 */
class SessionsIT {
    @TempDir
    Path runDir;
    Lab lab;
    LabTopology topology;

    private void up(String sessions) {
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 2)
                .withNodeSettings(Map.of("WSLAB_SESSIONS", sessions, "WSLAB_POLL_TIMEOUT_MS", "300"));
        lab = new Lab(topology, new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void nodeLocalSessionsThroughRoundRobinAreUnknownOnTheOtherNode() {
        up("local");
        try (SessionClient client = SessionClient.open(topology.roundRobinPort(), "poll")) {
            Map<Integer, Integer> statuses = pollStatuses(client, 10);
            System.out.println("10 polls of a node-local session through round robin: " + statuses);
            assertThat(statuses.getOrDefault(404, 0)).as("requests that reached the other node").isGreaterThanOrEqualTo(3);
            assertThat(statuses.getOrDefault(200, 0)).as("requests that reached the owner").isGreaterThanOrEqualTo(3);
            assertThat(statuses.keySet()).as("nothing but the owner's 200 and the other node's 404").containsOnly(200, 404);
        }
    }

    @Test
    void nodeLocalSessionsThroughStickyReachTheirNodeEveryTime() {
        up("local");
        try (SessionClient client = SessionClient.open(topology.stickyPort(), "poll")) {
            assertThat(pollStatuses(client, 10)).containsOnlyKeys(200);
        }
    }

    @Test
    void sharedSessionsThroughRoundRobinAreForwardedToTheirNodeAndNothingIsUnknown() {
        up("shared");
        try (SessionClient polling = SessionClient.open(topology.roundRobinPort(), "poll");
                SessionClient streaming = SessionClient.open(topology.roundRobinPort(), "sse")) {
            assertThat(pollStatuses(polling, 6)).containsOnlyKeys(200);
            // Both policies' answers are the owner's: commands and polls pass through whichever node HAProxy picked.
            for (SessionClient c : new SessionClient[] {polling, streaming}) {
                assertThat(c.command("{\"type\":\"join\",\"room\":\"shared\"}").status()).isEqualTo(202);
            }
            assertThat(streaming.openStream()).isEqualTo(200);
            streaming.streamed("joined");
            polling.pollFor("joined");
            for (int i = 1; i <= 4; i++) {
                assertThat(polling.command("{\"type\":\"publish\",\"room\":\"shared\",\"body\":{\"text\":\"m" + i + "\"}}").status())
                        .isEqualTo(202);
                assertThat(streaming.streamed("message").path("seq").asLong()).isEqualTo(i);
                assertThat(polling.pollFor("message").path("seq").asLong()).isEqualTo(i);
            }
        }
        double forwarded = 0;
        double unknown = 0;
        for (String node : topology.nodeIds()) {
            String metrics = Http.get(topology.nodePort(topology.nodeIds().indexOf(node) + 1), "/metrics").body();
            forwarded += sum(metrics, "wslab_sessions_forwarded_total");
            unknown += sum(metrics, "wslab_sessions_unknown_total");
        }
        assertThat(forwarded).as("requests that landed on the other node").isGreaterThanOrEqualTo(5);
        assertThat(unknown).isZero();
    }

    @Test
    void aSharedSessionWhoseNodeIsGoneIsUnknownAndAFreshOneResumesWithoutLoss() throws Exception {
        up("shared");
        SessionClient doomed = SessionClient.open(topology.stickyPort(), "poll");
        doomed.command("{\"type\":\"join\",\"room\":\"r\"}");
        doomed.pollFor("joined");
        Http.post(topology.stickyPort(), "/api/rooms/r/messages", "{\"text\":\"before\"}");
        long seen = doomed.pollFor("message").path("seq").asLong();
        lab.kill(doomed.node());
        Http.post(topology.stickyPort(), "/api/rooms/r/messages", "{\"text\":\"while away\"}");
        Eventually.until(() -> {
            SessionClient.Answer answer = doomed.pollAnswer();
            return answer.status() == 404 && answer.code().equals("unknown_session");
        }, java.time.Duration.ofSeconds(10), "the session is unknown once its node is gone");
        try (SessionClient fresh = SessionClient.open(topology.stickyPort(), "poll")) {
            assertThat(fresh.node()).isNotEqualTo(doomed.node());
            fresh.command("{\"type\":\"join\",\"room\":\"r\",\"since\":" + seen + "}");
            assertThat(fresh.pollFor("joined").path("resumed").asLong()).isEqualTo(1);
            assertThat(fresh.pollFor("message").path("body").path("text").asText()).isEqualTo("while away");
        }
    }

    private static Map<Integer, Integer> pollStatuses(SessionClient client, int polls) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < polls; i++) {
            statuses.merge(client.pollAnswer().status(), 1, Integer::sum);
        }
        return statuses;
    }

    private static double sum(String metrics, String name) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
