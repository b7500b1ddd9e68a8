package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Peers that misbehave at the socket level: floods, silence, bad bytes, foreign origins. */
class AbuseIT {
    TestNodes nodes;
    Node node;

    @BeforeEach
    void start() {
        nodes = new TestNodes(null, Map.of("WSLAB_PUBLISH_RATE", "20", "WSLAB_PING_INTERVAL_MS", "200",
                "WSLAB_PING_TIMEOUT_MS", "1000", "WSLAB_ALLOWED_ORIGINS", "http://lab.example, https://lab.example"));
        node = nodes.start("guard");
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aPublishFloodIsRefusedWithRateLimitedWhileTheSocketStaysOpen() {
        try (TestClient flooder = TestClient.connect(node.port()); TestClient bystander = TestClient.connect(node.port())) {
            bystander.join("calm");
            for (int i = 0; i < 100; i++) {
                flooder.send("{\"type\":\"publish\",\"room\":\"flood\",\"id\":\"f" + i + "\",\"body\":{}}");
            }
            JsonNode refused = flooder.await(e -> "rate_limited".equals(e.path("code").asText()), "a rate_limited error");
            assertThat(refused.get("message").asText()).contains("20 publishes per second");
            assertThat(flooder.isClosed()).isFalse();
            bystander.publish("calm", "still fine", "b1");
            bystander.awaitMessage("calm", "still fine");
        }
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_errors_total{code=\"rate_limited\"");
    }

    @Test
    void aPeerThatNeverAnswersPingsIsClosedWith4001() throws Exception {
        try (RawSocket silent = new RawSocket(node.port(), null); TestClient alive = TestClient.connect(node.port())) {
            assertThat(silent.readHandshake()).startsWith("HTTP/1.1 101");
            alive.await("welcome");
            assertThat(silent.closeCodeIgnoringEverythingElse()).isEqualTo(4001);
            // The JDK client answers pings by itself, so it outlives the silent one. Proof that a
            // whole timeout has passed for it too: a second silent peer, opened now, is cut as well.
            try (RawSocket later = new RawSocket(node.port(), null)) {
                assertThat(later.readHandshake()).startsWith("HTTP/1.1 101");
                assertThat(later.closeCodeIgnoringEverythingElse()).isEqualTo(4001);
            }
            assertThat(alive.isClosed()).isFalse();
            Eventually.until(() -> node.connectionCount() == 1, Duration.ofSeconds(5), "only the live client left");
        }
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_errors_total{code=\"ping_timeout\"");
    }

    @Test
    void invalidUtf8InATextFrameIsClosedWith1007() throws Exception {
        try (RawSocket raw = new RawSocket(node.port(), null)) {
            assertThat(raw.readHandshake()).startsWith("HTTP/1.1 101");
            raw.sendText(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            assertThat(raw.closeCodeIgnoringEverythingElse()).isEqualTo(1007);
        }
        assertThat(node.health().ok()).isTrue();
    }

    @Test
    void aBrowserFromAForeignOriginIsRefusedAndAnAllowedOneOrANonBrowserIsNot() throws Exception {
        try (RawSocket foreign = new RawSocket(node.port(), "http://evil.example")) {
            assertThat(foreign.readHandshake()).startsWith("HTTP/1.1 403");
        }
        try (RawSocket allowed = new RawSocket(node.port(), "https://lab.example")) {
            assertThat(allowed.readHandshake()).startsWith("HTTP/1.1 101");
        }
        try (RawSocket noOrigin = new RawSocket(node.port(), null)) {
            assertThat(noOrigin.readHandshake()).startsWith("HTTP/1.1 101");
        }
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_errors_total{code=\"bad_origin\"");
    }

    @Test
    void aPlainRequestToTheWebSocketPathIsRefusedWith400AndCounted() throws Exception {
        Http.Response plain = Http.get(node.port(), "/ws");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.body()).contains("expected a WebSocket upgrade");
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_errors_total{code=\"not_websocket\"");
        assertThat(node.health().ok()).isTrue();
    }
}
