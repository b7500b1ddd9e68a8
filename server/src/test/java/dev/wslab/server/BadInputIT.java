package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad input gets its documented answer — an error event on a socket that stays open, or a close
 * code — is counted, and the clients around it keep getting their messages.
 */
class BadInputIT {
    @TempDir
    static Path redisDir;
    static RedisServer redis;
    static TestNodes cluster;
    static Node a;
    static Node b;
    static final AtomicInteger round = new AtomicInteger();

    @BeforeAll
    static void start() {
        redis = RedisServer.start(redisDir, FreePorts.find());
        cluster = new TestNodes(redis.uri(), Map.of("WSLAB_MAX_ROOMS_PER_CONNECTION", "3"));
        a = cluster.start("node-a");
        b = cluster.start("node-b");
    }

    @AfterAll
    static void stop() {
        cluster.close();
        redis.close();
    }

    static Stream<Arguments> errorEvents() {
        return Stream.of(
                bad("not JSON", "bad_json", c -> c.send("{\"type\":\"join\",")),
                bad("a JSON array", "bad_json", c -> c.send("[1,2,3]")),
                bad("an empty frame", "bad_json", c -> c.send("")),
                bad("deep nesting", "bad_json", c -> c.send("{\"type\":\"publish\",\"room\":\"a\",\"body\":"
                        + "[".repeat(200) + "]".repeat(200) + "}")),
                bad("a 400-digit number", "bad_json", c -> c.send("{\"type\":\"publish\",\"room\":\"a\",\"body\":"
                        + "1".repeat(400) + "}")),
                bad("no type", "missing_field", c -> c.send("{\"room\":\"a\",\"id\":\"x\"}")),
                bad("an unknown type", "unknown_type", c -> c.send("{\"type\":\"teleport\",\"room\":\"a\",\"id\":\"x\"}")),
                bad("join without room", "missing_field", c -> c.send("{\"type\":\"join\",\"id\":\"x\"}")),
                bad("publish without body", "missing_field", c -> c.send("{\"type\":\"publish\",\"room\":\"a\",\"id\":\"x\"}")),
                bad("a room name with spaces", "bad_room", c -> c.send("{\"type\":\"join\",\"room\":\"a b\",\"id\":\"x\"}")),
                bad("a 65-character room name", "bad_room",
                        c -> c.send("{\"type\":\"join\",\"room\":\"" + "r".repeat(65) + "\",\"id\":\"x\"}")),
                bad("a numeric id", "bad_id", c -> c.send("{\"type\":\"incr\",\"room\":\"a\",\"id\":12}")),
                bad("leaving a room never joined", "not_joined", c -> c.send("{\"type\":\"leave\",\"room\":\"never\",\"id\":\"x\"}")),
                bad("joining a room twice", "already_joined", c -> {
                    c.join("twice");
                    c.send("{\"type\":\"join\",\"room\":\"twice\",\"id\":\"x\"}");
                }),
                bad("a fourth room over the limit of three", "too_many_rooms", c -> {
                    c.join("r1");
                    c.join("r2");
                    c.join("r3");
                    c.send("{\"type\":\"join\",\"room\":\"r4\",\"id\":\"x\"}");
                }));
    }

    private static Arguments bad(String name, String code, Consumer<TestClient> send) {
        return Arguments.of(name, code, send);
    }

    @ParameterizedTest(name = "{0} -> error {1}, socket stays open")
    @MethodSource("errorEvents")
    void badFrameGetsAnErrorEventAndTheSocketStaysUsable(String name, String code, Consumer<TestClient> send) {
        try (Bystanders bystanders = new Bystanders(); TestClient offender = TestClient.connect(a.port())) {
            offender.await("welcome");
            send.accept(offender);
            JsonNode error = offender.await("error");
            assertThat(error.get("code").asText()).isEqualTo(code);
            assertThat(error.get("message").asText()).isNotBlank();

            JsonNode ack = offender.publish("after", "still here", "ok-" + round.incrementAndGet());
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            bystanders.stillReceive();
            assertThat(Http.get(a.port(), "/metrics").body()).contains("wslab_errors_total{code=\"" + code + "\"");
        }
    }

    @Test
    void frameOverTheLimitIsClosedWith1009() {
        try (Bystanders bystanders = new Bystanders(); TestClient offender = TestClient.connect(a.port())) {
            offender.await("welcome");
            offender.send("{\"type\":\"publish\",\"room\":\"a\",\"body\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(offender.awaitClose()).isEqualTo(1009);
            bystanders.stillReceive();
        }
        assertThat(a.health().ok()).isTrue();
    }

    @Test
    void binaryFrameIsClosedWith1003() {
        try (Bystanders bystanders = new Bystanders(); TestClient offender = TestClient.connect(a.port())) {
            offender.await("welcome");
            offender.sendBinary(new byte[] {1, 2, 3});
            assertThat(offender.awaitClose()).isEqualTo(1003);
            bystanders.stillReceive();
        }
        Eventually.until(() -> Http.get(a.port(), "/metrics").body()
                .contains("wslab_connections_closed_total{code=\"1003\",lb=\"direct\",node=\"node-a\"} 1.0"),
                java.time.Duration.ofSeconds(5), "the 1003 close counted");
    }

    @Test
    void httpPublishRefusesBadBodiesAndRoomsWithJsonErrors() {
        Http.Response badJson = Http.post(b.port(), "/api/rooms/lobby/messages", "{nope");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("code").asText()).isEqualTo("bad_json");
        Http.Response badRoom = Http.post(b.port(), "/api/rooms/no%20spaces/messages", "{}");
        assertThat(badRoom.status()).isEqualTo(400);
        assertThat(badRoom.json().get("code").asText()).isEqualTo("bad_room");
        Http.Response tooLarge = Http.post(b.port(), "/api/rooms/lobby/messages", "\"" + "x".repeat(70_000) + "\"");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("code").asText()).isEqualTo("too_large");
        assertThat(Http.get(b.port(), "/api/nothing").status()).isEqualTo(404);
    }

    /** Two clients on the other node and one on the offender's, in a room of their own. */
    private static final class Bystanders implements AutoCloseable {
        private final TestClient onA = TestClient.connect(a.port());
        private final TestClient onB = TestClient.connect(b.port());
        private final String room = "safe" + round.incrementAndGet();

        Bystanders() {
            onA.join(room);
            onB.join(room);
        }

        void stillReceive() {
            String text = "fine " + round.incrementAndGet();
            onA.publish(room, text, "b" + round.incrementAndGet());
            onA.awaitMessage(room, text);
            onB.awaitMessage(room, text);
        }

        @Override
        public void close() {
            onA.close();
            onB.close();
        }
    }
}
