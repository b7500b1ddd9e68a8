package dev.wslab.server.auth;

import dev.wslab.server.TestNodes;
import dev.wslab.server.TestClient;
import dev.wslab.server.Http;
import dev.wslab.server.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.server.auth.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node with the anonymous mode off: tokens for clients, an API key for the publish API. */
class AuthIT {
    static final String SECRET = "a lab secret that is long enough!";
    static final String API_KEY = "backend-key-1";
    final Tokens tokens = new Tokens(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    TestNodes nodes;
    Node node;

    @BeforeEach
    void start() {
        nodes = new TestNodes(null, Map.of("WSLAB_ANONYMOUS", "false", "WSLAB_AUTH_SECRET", SECRET, "WSLAB_API_KEY", API_KEY));
        node = nodes.start("secure");
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private int handshakeStatus(String query, String authorization) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        Throwable error = catchThrowable(() -> builder.buildAsync(
                URI.create("ws://127.0.0.1:" + node.port() + "/ws" + query), new WebSocket.Listener() {}).join().abort());
        if (error == null) {
            return 101;
        }
        assertThat(error.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) error.getCause()).getResponse().statusCode();
    }

    @Test
    void withoutATokenOrWithABadOneTheHandshakeIsRefusedWith401AndCounted() {
        assertThat(handshakeStatus("", null)).isEqualTo(401);
        assertThat(handshakeStatus("?token=not.a.token", null)).isEqualTo(401);
        String foreign = new Tokens("some other secret, 32 bytes long!!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC())
                .sign("mallory", List.of("*"), Duration.ofHours(1));
        assertThat(handshakeStatus("?token=" + foreign, null)).isEqualTo(401);
        assertThat(handshakeStatus("", "Bearer " + tokens.sign("alice", List.of("*"), Duration.ofHours(1)))).isEqualTo(101);
        assertThat(Http.get(node.port(), "/metrics").body()).contains("wslab_errors_total{code=\"unauthorized\"");
    }

    @Test
    void aTokenGrantsItsRoomsAndNothingElse() {
        String token = tokens.sign("alice", List.of("lobby", "team-*"), Duration.ofHours(1));
        try (TestClient alice = TestClient.connectWithQuery(node.port(), "token=" + token)) {
            alice.join("lobby");
            alice.join("team-red");
            alice.send("{\"type\":\"join\",\"room\":\"secret\",\"id\":\"j1\"}");
            JsonNode refused = alice.await("error");
            assertThat(refused.get("code").asText()).isEqualTo("forbidden");
            assertThat(refused.get("id").asText()).isEqualTo("j1");
            alice.send("{\"type\":\"publish\",\"room\":\"secret\",\"id\":\"p1\",\"body\":{\"text\":\"x\"}}");
            assertThat(alice.await(e -> "p1".equals(e.path("id").asText()), "answer to p1").get("code").asText())
                    .isEqualTo("forbidden");
            alice.publish("lobby", "allowed", "p2");
            alice.awaitMessage("lobby", "allowed");
            assertThat(alice.isClosed()).isFalse();
        }
    }

    @Test
    void thePublishApiNeedsTheApiKey() throws Exception {
        assertThat(Http.post(node.port(), "/api/rooms/lobby/messages", "{\"text\":\"x\"}").status()).isEqualTo(401);
        HttpResponse<String> withKey = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.port() + "/api/rooms/lobby/messages"))
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withKey.body()).contains("\"seq\":1");
    }
}
