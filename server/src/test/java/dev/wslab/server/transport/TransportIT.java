package dev.wslab.server.transport;

import dev.wslab.server.TestNodes;
import dev.wslab.server.TestClient;
import dev.wslab.server.Http;
import dev.wslab.server.SessionClient;
import dev.wslab.server.Node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.FreePorts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP transports (long polling, Server-Sent Events) on one node: same rooms, same protocol as /ws. */
class TransportIT {
    TestNodes nodes;
    Node node;
    int adminPort;

    @BeforeEach
    void start() {
        adminPort = FreePorts.find();
        nodes = new TestNodes(null, Map.of("WSLAB_ADMIN_PORT", Integer.toString(adminPort), "WSLAB_DRAIN_GRACE_MS", "200",
                "WSLAB_POLL_TIMEOUT_MS", "1000", "WSLAB_OUTBOUND_QUEUE_FRAMES", "8"));
        node = nodes.start("solo");
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLongPollingClientJoinsAndGetsWhatAWebSocketClientPublishes() {
        try (SessionClient polling = SessionClient.open(node.port(), "poll"); TestClient ws = TestClient.connect(node.port())) {
            assertThat(polling.poll()).extracting(e -> e.path("type").asText()).containsExactly("welcome");
            assertThat(polling.command("{\"type\":\"join\",\"room\":\"lp\",\"id\":\"j\"}").status()).isEqualTo(202);
            assertThat(polling.pollFor("joined").path("room").asText()).isEqualTo("lp");
            ws.join("lp");
            ws.publish("lp", "to the poller", "p1");
            JsonNode message = polling.pollFor("message");
            assertThat(message.path("body").path("text").asText()).isEqualTo("to the poller");
            assertThat(message.path("seq").asLong()).isEqualTo(1);

            polling.command("{\"type\":\"publish\",\"room\":\"lp\",\"id\":\"up\",\"body\":{\"text\":\"from the poller\"}}");
            assertThat(ws.awaitMessage("lp", "from the poller").path("seq").asLong()).isEqualTo(2);
            assertThat(polling.pollFor("ack").path("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aPollWithNothingToSayIsAnsweredEmptyAfterThePollTimeout() {
        try (SessionClient polling = SessionClient.open(node.port(), "poll")) {
            polling.poll(); // welcome
            long start = System.nanoTime();
            assertThat(polling.poll()).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 5000L);
        }
    }

    @Test
    void anEventStreamCarriesEventsAsTheyHappen() {
        try (SessionClient sse = SessionClient.open(node.port(), "sse"); TestClient ws = TestClient.connect(node.port())) {
            assertThat(sse.openStream()).isEqualTo(200);
            assertThat(sse.streamed("welcome").path("session").asText()).isEqualTo(sse.session());
            sse.command("{\"type\":\"join\",\"room\":\"ev\"}");
            sse.streamed("joined");
            ws.join("ev");
            for (int i = 1; i <= 3; i++) {
                ws.publish("ev", "m" + i, "p" + i);
                assertThat(sse.streamed("message").path("seq").asLong()).isEqualTo(i);
            }
        }
    }

    @Test
    void badCommandsAndUnknownSessionsGetErrorsAndTheNodeCarriesOn() {
        try (SessionClient polling = SessionClient.open(node.port(), "poll")) {
            polling.poll();
            polling.command("{not json");
            assertThat(polling.pollFor("error").path("code").asText()).isEqualTo("bad_json");
            polling.command("{\"type\":\"teleport\",\"room\":\"x\"}");
            assertThat(polling.pollFor("error").path("code").asText()).isEqualTo("unknown_type");
            assertThat(polling.command("{\"pad\":\"" + "x".repeat(70_000) + "\"}").status()).isEqualTo(413);
        }
        Http.Response unknown = Http.get(node.port(), "/rt/sessions/no-such-session/poll");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("unknown_session");
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_sessions_unknown_total{node=\"solo\",reason=\"local\"} 1.0");
        try (TestClient ws = TestClient.connect(node.port())) {
            ws.await("welcome");
        }
    }

    @Test
    void aSessionNobodyPollsIsClosedAsASlowReaderWhenItsQueueFills() {
        try (SessionClient idle = SessionClient.open(node.port(), "poll"); TestClient ws = TestClient.connect(node.port())) {
            idle.command("{\"type\":\"join\",\"room\":\"q\"}");
            ws.join("q");
            for (int i = 0; i < 12; i++) {
                ws.publish("q", "m" + i, "p" + i);
            }
            List<JsonNode> events = idle.poll();
            assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("close");
            assertThat(events.get(events.size() - 1).path("code").asInt()).isEqualTo(1008);
            assertThat(idle.pollAnswer().status()).isEqualTo(404);
        }
    }

    @Test
    void drainEndsSessionsWithACloseEventAndRefusesNewOnes() {
        try (SessionClient polling = SessionClient.open(node.port(), "poll")) {
            polling.poll();
            assertThat(Http.post(adminPort, "/admin/drain?graceMs=200", "").status()).isEqualTo(202);
            JsonNode closed = polling.pollFor("close");
            assertThat(closed.path("code").asInt()).isEqualTo(1001);
            assertThat(Http.post(node.port(), "/rt/sessions", "").status()).isEqualTo(503);
        }
    }
}
