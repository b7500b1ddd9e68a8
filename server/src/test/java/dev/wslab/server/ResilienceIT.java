package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis that goes away and comes back, and a reader that cannot keep up. */
class ResilienceIT {
    @TempDir
    Path redisDir;
    RedisServer redis;
    TestNodes cluster;
    Node a;
    Node b;

    @BeforeEach
    void start() {
        redis = RedisServer.start(redisDir, FreePorts.find());
        // The flood comes from one publisher: lift its rate limit, which is not what this test is about.
        cluster = new TestNodes(redis.uri(), Map.of("WSLAB_OUTBOUND_QUEUE_FRAMES", "16", "WSLAB_PUBLISH_RATE", "100000"));
        a = cluster.start("node-a");
        b = cluster.start("node-b");
    }

    @AfterEach
    void stop() {
        cluster.close();
        redis.close();
    }

    @Test
    void redisRestartFailsPublishesVisiblyAnswersPingsThenResubscribesAndDeliveryResumes() {
        try (TestClient onA = TestClient.connect(a.port()); TestClient onB = TestClient.connect(b.port())) {
            onA.join("r");
            onB.join("r");
            onA.publish("r", "before", "p1");
            onB.awaitMessage("r", "before");

            redis.stop();
            Eventually.until(() -> !a.health().ok() && !b.health().ok(), Duration.ofSeconds(10), "both nodes unhealthy");
            Http.Response health = Http.get(a.port(), "/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("redis unreachable");

            onA.send("{\"type\":\"ping\",\"id\":\"h1\"}");
            assertThat(onA.await(e -> "pong".equals(e.path("type").asText()), "pong").path("id").asText())
                    .as("a ping is the node's to answer, Redis or not").isEqualTo("h1");
            assertThat(Http.get(a.port(), "/metrics").body()).contains("wslab_messages_received_total{node=\"node-a\",type=\"ping\"} 1.0");
            JsonNode refused = onA.publish("r", "during", "p2");
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("code").asText()).isEqualTo("unavailable");
            assertThat(Http.post(b.port(), "/api/rooms/r/messages", "{\"text\":\"during\"}").status()).isEqualTo(503);

            redis.restart();
            Eventually.until(() -> a.health().ok() && b.health().ok(), Duration.ofSeconds(15), "both nodes healthy again");
            Eventually.until(() -> Long.parseLong(((java.util.List<?>) redis.command("PUBSUB", "NUMSUB",
                    new dev.wslab.server.redis.RedisKeys(cluster.keyPrefix()).channel("r"))).get(1).toString()) == 2, Duration.ofSeconds(10),
                    "both nodes re-subscribed");
            JsonNode ack = onA.publish("r", "after", "p3");
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            onB.awaitMessage("r", "after");
            onA.awaitMessage("r", "after");
        }
    }

    /**
     * node-b's subscription is cut, and Redis refuses it SUBSCRIBE meanwhile: a message published in
     * the lapse never reaches node-b, and nothing is published after it. Once node-b subscribes
     * again it reads the room's seq and fills up to it, so its member gets the message anyway.
     */
    @Test
    void aMessagePublishedWhileANodesSubscriptionLapsedReachesItsMemberWithoutALaterMessage() {
        String channel = new dev.wslab.server.redis.RedisKeys(cluster.keyPrefix()).channel("quiet");
        try (TestClient publisher = TestClient.connect(a.port()); TestClient onB = TestClient.connect(b.port())) {
            publisher.await("welcome");
            onB.join("quiet");
            publisher.publish("quiet", "before", "q1");
            onB.awaitMessage("quiet", "before");

            JsonNode ack;
            redis.command("ACL", "SETUSER", "default", "-subscribe");
            try {
                redis.command("CLIENT", "KILL", "TYPE", "pubsub");
                Eventually.until(() -> subscribers(channel) == 0, Duration.ofSeconds(10), "node-b's subscription lapsed");
                ack = publisher.publish("quiet", "in the lapse", "q2");
                assertThat(ack.get("type").asText()).isEqualTo("ack");
            } finally {
                redis.command("ACL", "SETUSER", "default", "+subscribe");
            }
            // Lettuce subscribes the room again on its next connection.
            redis.command("CLIENT", "KILL", "TYPE", "pubsub");
            Eventually.until(() -> subscribers(channel) == 1, Duration.ofSeconds(15), "node-b subscribed again");
            assertThat(onB.awaitMessage("quiet", "in the lapse").get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
        }
    }

    private long subscribers(String channel) {
        return Long.parseLong(((java.util.List<?>) redis.command("PUBSUB", "NUMSUB", channel)).get(1).toString());
    }

    @Test
    void slowReaderIsClosedWithoutHurtingOthers() {
        int messages = 600;
        String bulk = "x".repeat(32_000);
        try (TestClient slow = TestClient.nonReading(a.port());
                TestClient fast = TestClient.connect(b.port());
                TestClient publisher = TestClient.connect(b.port())) {
            slow.send("{\"type\":\"join\",\"room\":\"flood\"}");
            fast.join("flood");
            Eventually.until(() -> Http.get(b.port(), "/api/rooms/flood").json().get("members").asLong() == 2,
                    Duration.ofSeconds(5), "both readers in the room");

            // Paced by what the fast reader has received, so only the reader that does not read falls behind.
            long previous = 0;
            for (int i = 0; i < messages; i++) {
                publisher.send("{\"type\":\"publish\",\"room\":\"flood\",\"body\":{\"text\":\"m" + i + "\",\"pad\":\"" + bulk + "\"}}");
                if (i % 8 == 7 || i == messages - 1) {
                    for (int j = i - i % 8; j <= i; j++) {
                        long seq = fast.awaitMessage("flood", "m" + j).get("seq").asLong();
                        assertThat(previous == 0 || seq == previous + 1).as("m%d has seq %d after %d: no gap, no reordering", j, seq, previous).isTrue();
                        previous = seq;
                    }
                }
            }
            Eventually.until(() -> a.connectionCount() == 0, Duration.ofSeconds(10), "the slow reader closed");
            assertThat(Http.get(a.port(), "/metrics").body())
                    .contains("wslab_slow_consumers_total{node=\"node-a\"} 1.0")
                    .contains("wslab_connections_closed_total{code=\"1008\",lb=\"direct\",node=\"node-a\"} 1.0");
        }
    }
}
