package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes on one bus: what crosses nodes, and what every node agrees on. {@link ClusterIT}
 * runs it on a single redis-server and on a Redis Cluster.
 */
abstract class CrossNodeSuite {
    TestNodes cluster;
    Node a;
    Node b;
    Node c;

    /** Nodes on the Redis under test, with these settings on top. */
    protected abstract TestNodes nodes(Map<String, String> overrides);

    /** How many nodes are subscribed to the channel. */
    protected abstract long numsub(String channel);

    @BeforeEach
    void startNodes() {
        cluster = nodes(Map.of());
        a = cluster.start("node-a");
        b = cluster.start("node-b");
        c = cluster.start("node-c");
    }

    @AfterEach
    void stopNodes() {
        cluster.close();
    }

    @Test
    void firstEventNamesTheNodeAndTheSession() {
        try (TestClient client = TestClient.connect(b.port())) {
            JsonNode welcome = client.await("welcome");
            assertThat(welcome.get("node").asText()).isEqualTo("node-b");
            assertThat(welcome.get("session").asText()).isNotBlank();
        }
    }

    @Test
    void clientOnNodeBReceivesMessagePublishedOnNodeAWithTheSameSeqEverywhere() {
        try (TestClient onA = TestClient.connect(a.port());
                TestClient onB = TestClient.connect(b.port());
                TestClient onC = TestClient.connect(c.port())) {
            onA.join("lobby");
            onB.join("lobby");
            onC.join("lobby");
            JsonNode ack = onA.publish("lobby", "hello", "c1");
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            long seq = ack.get("seq").asLong();

            for (TestClient client : new TestClient[] {onA, onB, onC}) {
                JsonNode message = client.awaitMessage("lobby", "hello");
                assertThat(message.get("seq").asLong()).isEqualTo(seq);
                assertThat(message.get("node").asText()).isEqualTo("node-a");
                assertThat(message.get("sentAt").asLong()).isPositive();
            }
        }
    }

    @Test
    void messagesFromSeveralNodesArriveInSeqOrderOnEveryNode() {
        try (TestClient onA = TestClient.connect(a.port());
                TestClient onB = TestClient.connect(b.port());
                TestClient onC = TestClient.connect(c.port())) {
            onA.join("order");
            onB.join("order");
            onC.join("order");
            for (int i = 0; i < 30; i++) {
                (i % 2 == 0 ? onA : onB).send("{\"type\":\"publish\",\"room\":\"order\",\"body\":{\"text\":\"m" + i + "\"}}");
            }
            long previous = 0;
            for (int i = 0; i < 30; i++) {
                long seq = onC.await("message").get("seq").asLong();
                assertThat(seq).isGreaterThan(previous);
                previous = seq;
            }
        }
    }

    @Test
    void aClientResumingOnAnotherNodeGetsEveryMissedMessageInOrderThenLiveOnes() throws InterruptedException {
        try (TestClient publisher = TestClient.connect(a.port())) {
            long lastSeen;
            try (TestClient first = TestClient.connect(b.port())) {
                first.join("resume");
                for (int i = 1; i <= 3; i++) {
                    publisher.publish("resume", "m" + i, "p" + i);
                }
                lastSeen = first.awaitMessage("resume", "m3").get("seq").asLong();
            }
            for (int i = 4; i <= 8; i++) {
                publisher.publish("resume", "m" + i, "p" + i);
            }
            try (TestClient back = TestClient.connect(c.port())) {
                back.send("{\"type\":\"join\",\"room\":\"resume\",\"since\":" + lastSeen + "}");
                JsonNode joined = back.await("joined");
                assertThat(joined.get("seq").asLong()).isEqualTo(lastSeen + 5);
                assertThat(joined.get("resumed").asLong()).isEqualTo(5);
                assertThat(joined.get("missed").asLong()).isZero();
                publisher.publish("resume", "m9", "p9");
                for (int i = 4; i <= 9; i++) {
                    JsonNode message = back.await("message");
                    assertThat(message.at("/body/text").asText()).isEqualTo("m" + i);
                    assertThat(message.get("seq").asLong()).isEqualTo(lastSeen + i - 3);
                }
                // No second copy of any of them: the next message is a marker published after them all.
                publisher.publish("resume", "marker", "p10");
                assertThat(back.await("message").at("/body/text").asText()).isEqualTo("marker");
            }
        }
    }

    @Test
    void aResumeReachingPastTheHistoryIsToldHowManyMessagesAreGone() {
        try (TestNodes shortHistory = nodes(Map.of("WSLAB_HISTORY_LENGTH", "5"))) {
            Node small = shortHistory.start("node-s");
            try (TestClient publisher = TestClient.connect(small.port())) {
                for (int i = 1; i <= 20; i++) {
                    publisher.publish("short", "m" + i, "p" + i);
                }
                try (TestClient back = TestClient.connect(small.port())) {
                    back.send("{\"type\":\"join\",\"room\":\"short\",\"since\":2}");
                    JsonNode joined = back.await("joined");
                    assertThat(joined.get("seq").asLong()).isEqualTo(20);
                    assertThat(joined.get("resumed").asLong()).isZero();
                    assertThat(joined.get("missed").asLong()).isEqualTo(18);
                    back.send("{\"type\":\"leave\",\"room\":\"short\"}");
                    back.await("left");
                    back.send("{\"type\":\"join\",\"room\":\"short\",\"since\":16}");
                    JsonNode recent = back.await("joined");
                    assertThat(recent.get("resumed").asLong()).isEqualTo(4);
                    assertThat(recent.get("missed").asLong()).isZero();
                    assertThat(back.await("message").at("/body/text").asText()).isEqualTo("m17");
                }
            }
            assertThat(Http.get(small.port(), "/metrics").body())
                    .contains("wslab_resumes_total{node=\"node-s\",outcome=\"gap\"} 1.0")
                    .contains("wslab_resumes_total{node=\"node-s\",outcome=\"complete\"} 1.0");
        }
    }

    @Test
    void httpPublishReachesWebSocketClientsOnEveryNode() {
        try (TestClient onA = TestClient.connect(a.port());
                TestClient onB = TestClient.connect(b.port());
                TestClient onC = TestClient.connect(c.port())) {
            onA.join("alerts");
            onB.join("alerts");
            onC.join("alerts");
            Http.Response response = Http.post(b.port(), "/api/rooms/alerts/messages", "{\"text\":\"deploy done\"}");
            assertThat(response.status()).isEqualTo(200);
            long seq = response.json().get("seq").asLong();
            assertThat(response.json().get("room").asText()).isEqualTo("alerts");
            for (TestClient client : new TestClient[] {onA, onB, onC}) {
                assertThat(client.awaitMessage("alerts", "deploy done").get("seq").asLong()).isEqualTo(seq);
            }
            JsonNode room = Http.get(c.port(), "/api/rooms/alerts").json();
            assertThat(room.get("seq").asLong()).isEqualTo(seq);
            assertThat(room.get("members").asLong()).isEqualTo(3);
        }
    }

    @Test
    void counterIsTheSameFromEveryNodeAndAfterReconnectingElsewhere() {
        try (TestClient onA = TestClient.connect(a.port()); TestClient onB = TestClient.connect(b.port())) {
            onA.join("demo");
            onB.join("demo");
            for (int i = 1; i <= 3; i++) {
                String id = "i" + i;
                onA.send("{\"type\":\"incr\",\"room\":\"demo\",\"id\":\"" + id + "\"}");
                assertThat(onA.await(e -> id.equals(e.path("id").asText()), "ack " + id).get("counter").asLong())
                        .isEqualTo(i);
            }
            onB.send("{\"type\":\"incr\",\"room\":\"demo\",\"id\":\"last\"}");
            assertThat(onB.await(e -> "last".equals(e.path("id").asText()), "ack").get("counter").asLong()).isEqualTo(4);
            assertThat(onA.await(e -> "counter".equals(e.path("type").asText()) && e.get("counter").asLong() == 4,
                    "counter 4 on node A").get("node").asText()).isEqualTo("node-b");
        }
        for (Node node : new Node[] {a, b, c}) {
            assertThat(Http.get(node.port(), "/api/rooms/demo").json().get("counter").asLong()).isEqualTo(4);
        }
        try (TestClient elsewhere = TestClient.connect(c.port())) {
            assertThat(elsewhere.join("demo").get("counter").asLong()).isEqualTo(4);
        }
    }

    @Test
    void memberCountsCoverEveryNodeAndFallWhenClientsLeave() {
        try (TestClient onA = TestClient.connect(a.port()); TestClient onB = TestClient.connect(b.port())) {
            assertThat(onA.join("members").get("members").asLong()).isEqualTo(1);
            assertThat(onB.join("members").get("members").asLong()).isEqualTo(2);
            onA.await(e -> "presence".equals(e.path("type").asText()) && e.get("members").asLong() == 2, "presence 2");
            onB.send("{\"type\":\"leave\",\"room\":\"members\",\"id\":\"bye\"}");
            onB.await("left");
            assertThat(onA.await(e -> "presence".equals(e.path("type").asText()) && e.get("members").asLong() == 1,
                    "presence 1")).isNotNull();
        }
        Eventually.until(() -> Http.get(a.port(), "/api/rooms/members").json().get("members").asLong() == 0,
                Duration.ofSeconds(5), "members back to 0 after both disconnect");
    }

    @Test
    void nodeSubscribesWhenItsFirstMemberJoinsAndUnsubscribesWhenTheLastLeaves() {
        String channel = new dev.wslab.server.redis.RedisKeys(cluster.keyPrefix()).channel("subs");
        assertThat(numsub(channel)).isZero();
        TestClient first = TestClient.connect(a.port());
        TestClient second = TestClient.connect(a.port());
        TestClient other = TestClient.connect(b.port());
        first.join("subs");
        second.join("subs");
        assertThat(numsub(channel)).isEqualTo(1);
        other.join("subs");
        assertThat(numsub(channel)).isEqualTo(2);
        first.close();
        other.close();
        Eventually.until(() -> numsub(channel) == 1, Duration.ofSeconds(5), "node-b unsubscribed");
        second.close();
        Eventually.until(() -> numsub(channel) == 0, Duration.ofSeconds(5), "node-a unsubscribed");
    }

    @Test
    void clusterApiListsLiveNodesWithConnectionCountsAndForgetsAStoppedOne() {
        try (TestClient one = TestClient.connect(a.port()); TestClient two = TestClient.connect(a.port())) {
            one.await("welcome");
            two.await("welcome");
            JsonNode cluster = Eventually.value(() -> Http.get(c.port(), "/api/cluster").json(),
                    j -> j.get("nodes").size() == 3 && j.get("connections").asLong() == 2, Duration.ofSeconds(5),
                    "three nodes, two connections");
            assertThat(cluster.get("nodes").get(0).get("node").asText()).isEqualTo("node-a");
            assertThat(cluster.get("nodes").get(0).get("connections").asLong()).isEqualTo(2);
        }
        b.close();
        Eventually.until(() -> Http.get(a.port(), "/api/cluster").json().get("nodes").size() == 2,
                Duration.ofSeconds(5), "node-b gone from the cluster");
    }

    @Test
    void everyNodeExportsItsMetricsWithNodeAndLbLabels() {
        try (TestClient client = TestClient.connect(a.port(), "sticky")) {
            client.join("metrics");
            client.publish("metrics", "x", "m1");
            client.awaitMessage("metrics", "x");
        }
        Http.Response metrics = Http.get(a.port(), "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("wslab_connections_opened_total{lb=\"sticky\",node=\"node-a\"} 1.0")
                .contains("wslab_messages_received_total{node=\"node-a\",type=\"publish\"} 1.0")
                .contains("wslab_broadcast_latency_seconds_bucket{lb=\"sticky\",node=\"node-a\",le=\"0.001\"}")
                .contains("wslab_bus_publish_seconds_count{node=\"node-a\"} 1")
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_usage");
    }
}
