package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wslab.launcher.FreePorts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One node on its own: the embedded default, drain, and the admin listener. */
class NodeIT {
    TestNodes nodes;
    Node node;
    int adminPort;

    @BeforeEach
    void start() {
        adminPort = FreePorts.find();
        nodes = new TestNodes(null, Map.of("WSLAB_ADMIN_PORT", Integer.toString(adminPort),
                "WSLAB_DRAIN_GRACE_MS", "300"));
        node = nodes.start("solo");
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void withoutRedisOneNodeServesRoomsOnItsInMemoryBroker() {
        assertThat(Http.get(node.port(), "/health").json().get("broker").asText()).isEqualTo("local");
        try (TestClient one = TestClient.connect(node.port()); TestClient two = TestClient.connect(node.port())) {
            one.join("lobby");
            two.join("lobby");
            assertThat(one.publish("lobby", "hi", "c1").get("seq").asLong()).isEqualTo(1);
            assertThat(two.awaitMessage("lobby", "hi").get("node").asText()).isEqualTo("solo");
            two.send("{\"type\":\"incr\",\"room\":\"lobby\",\"id\":\"i\"}");
            assertThat(one.await("counter").get("counter").asLong()).isEqualTo(1);
        }
        assertThat(Http.get(node.port(), "/api/cluster").json().get("nodes").get(0).get("node").asText()).isEqualTo("solo");
    }

    @Test
    void theInMemoryHistoryResumesAClientToo() {
        try (TestClient publisher = TestClient.connect(node.port())) {
            for (int i = 1; i <= 4; i++) {
                publisher.publish("solo-history", "m" + i, "p" + i);
            }
            try (TestClient back = TestClient.connect(node.port())) {
                back.send("{\"type\":\"join\",\"room\":\"solo-history\",\"since\":2}");
                assertThat(back.await("joined").get("resumed").asLong()).isEqualTo(2);
                assertThat(back.await("message").get("seq").asLong()).isEqualTo(3);
                assertThat(back.await("message").get("seq").asLong()).isEqualTo(4);
            }
        }
    }

    @Test
    void drainRefusesNewSocketsThenClosesOpenOnesWith1001() {
        try (TestClient open = TestClient.connect(node.port())) {
            open.await("welcome");
            Http.Response drain = Http.post(adminPort, "/admin/drain?graceMs=300", "");
            assertThat(drain.status()).isEqualTo(202);

            Http.Response health = Http.get(node.port(), "/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("draining");
            assertThatThrownBy(() -> TestClient.connect(node.port()))
                    .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((java.net.http.WebSocketHandshakeException) e.getCause())
                            .getResponse().statusCode()).isEqualTo(503));

            assertThat(open.awaitClose()).isEqualTo(1001);
            assertThat(open.closeReason()).contains("reconnect");
        }
        Http.post(adminPort, "/admin/undrain", "");
        assertThat(Http.get(node.port(), "/health").status()).isEqualTo(200);
        try (TestClient again = TestClient.connect(node.port())) {
            again.await("welcome");
        }
    }

    @Test
    void httpPublishTakesABodyThatArrivesInManyReadsUpToTheLimit() {
        String body = "{\"text\":\"big\",\"pad\":\"" + "y".repeat(60_000) + "\"}";
        try (TestClient listener = TestClient.connect(node.port())) {
            listener.join("big");
            Http.Response response = Http.post(node.port(), "/api/rooms/big/messages", body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(listener.awaitMessage("big", "big").get("body").get("pad").asText()).hasSize(60_000);
        }
    }

    @Test
    void theAdminListenerCountsARoomsMembersOnThisNode() {
        try (TestClient one = TestClient.connect(node.port()); TestClient two = TestClient.connect(node.port())) {
            one.join("admin-room");
            two.join("admin-room");
            two.join("other-room");
            assertThat(Http.get(adminPort, "/admin/rooms/admin-room").json().get("members").asInt()).isEqualTo(2);
            assertThat(Http.get(adminPort, "/admin/rooms/other-room").json().get("members").asInt()).isEqualTo(1);
            assertThat(Http.get(adminPort, "/admin/rooms/nobody-here").json().get("members").asInt()).isZero();
            two.send("{\"type\":\"leave\",\"room\":\"admin-room\"}");
            two.await("left");
            assertThat(Http.get(adminPort, "/admin/rooms/admin-room").json().get("members").asInt()).isEqualTo(1);
        }
        assertThat(Http.get(node.port(), "/admin/rooms/admin-room").status()).isEqualTo(404);
    }

    @Test
    void adminEndpointsAreNotOnThePublicListener() {
        assertThat(Http.post(node.port(), "/admin/drain", "").status()).isEqualTo(404);
        assertThat(node.health().ok()).isTrue();
    }

    @Test
    void closingTheNodeClosesItsSocketsWith1001() {
        TestClient client = TestClient.connect(node.port());
        client.await("welcome");
        nodes.close();
        assertThat(client.awaitClose()).isEqualTo(1001);
        Eventually.until(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
                return false;
            } catch (java.io.IOException e) {
                return true;
            }
        }, Duration.ofSeconds(5), "port closed");
    }
}
