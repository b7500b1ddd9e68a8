package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each policy of the native lab does with clients: stickiness, leastconn against round robin
 * after a restart, a room's members together (affinity) or spread (random), a killed, drained or
 * cut-off node, and a rolling restart.
 */
class LoadBalancerIT extends ThreeNodeLab {
    @Test
    void throughStickyAReconnectingClientReturnsToItsNodeAndThroughRoundRobinItDoesNot() {
        HttpClient withCookies = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String first = connectAndGetNode(withCookies, topology.stickyPort());
        for (int i = 0; i < 6; i++) {
            clients.remove(clients.size() - 1).close();
            assertThat(connectAndGetNode(withCookies, topology.stickyPort())).as("reconnect " + i).isEqualTo(first);
        }
        Set<String> seen = new HashSet<>();
        HttpClient plain = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        for (int i = 0; i < 6; i++) {
            seen.add(connectAndGetNode(plain, topology.roundRobinPort()));
            clients.remove(clients.size() - 1).close();
        }
        System.out.println("sticky: 7 connections all on " + first + "; roundrobin: 6 reconnects landed on " + seen);
        assertThat(seen).hasSize(3);
    }

    @Test
    void throughAffinityARoomsMembersMeetOnOneNodeAndThroughRandomTheyAreSpread() {
        Map<String, Map<String, Set<String>>> nodesOfRoom = new TreeMap<>();
        for (String policy : List.of("affinity", "random")) {
            for (int member = 0; member < 4; member++) {
                for (int room = 0; room < 6; room++) {
                    TestClient client = TestClient.connectWithQuery(topology.frontends().get(policy), "room=room-" + room);
                    clients.add(client);
                    JsonNode welcome = client.await("welcome");
                    assertThat(welcome.get("lb").asText()).isEqualTo(policy);
                    nodesOfRoom.computeIfAbsent(policy, p -> new TreeMap<>())
                            .computeIfAbsent("room-" + room, r -> new TreeSet<>()).add(welcome.get("node").asText());
                }
            }
        }
        System.out.println("4 members of each of 6 rooms, the nodes they landed on: " + nodesOfRoom);
        // The bounded load (hash-balance-factor) may spill a room whose node is full; most stay whole.
        assertThat(nodesOfRoom.get("affinity").values()).filteredOn(nodes -> nodes.size() == 1).hasSizeGreaterThanOrEqualTo(4);
        assertThat(nodesOfRoom.get("affinity").values().stream().flatMap(Set::stream).distinct()).as("rooms over the nodes").hasSize(3);
        assertThat(nodesOfRoom.get("random").values()).filteredOn(nodes -> nodes.size() == 1).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void afterARestartLeastconnFillsTheRestartedNodeAndRoundRobinDoesNot() {
        Map<Integer, List<TestClient>> byFrontend = Map.of(topology.stickyPort(), new ArrayList<>(),
                topology.roundRobinPort(), new ArrayList<>());
        Map<String, Integer> before = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            for (int port : byFrontend.keySet()) {
                TestClient client = TestClient.connect(HttpClient.newHttpClient(), port);
                clients.add(client);
                byFrontend.get(port).add(client);
                before.merge(client.await("welcome").get("node").asText(), 1, Integer::sum);
            }
        }
        System.out.println("120 connections, 60 through each frontend, per node: " + before);
        assertThat(before.values()).allSatisfy(n -> assertThat(n).isBetween(30, 50));

        lab.stop("node-2");
        Eventually.until(() -> lab.haproxy().serverStates().entrySet().stream()
                .filter(e -> e.getKey().endsWith("/node-2")).allMatch(e -> e.getValue().startsWith("DOWN")),
                Duration.ofSeconds(10), "node-2 down in both backends");
        // Its clients reconnect through the frontend they came from, and land on the nodes still up.
        Map<String, Integer> reconnected = new TreeMap<>();
        byFrontend.forEach((port, list) -> {
            for (TestClient client : List.copyOf(list)) {
                if (client.isClosed()) {
                    reconnected.merge(connectAndGetNode(HttpClient.newHttpClient(), port), 1, Integer::sum);
                }
            }
        });
        System.out.println("node-2's clients reconnected to: " + reconnected);
        assertThat(reconnected).doesNotContainKey("node-2");
        assertThat(reconnected.values().stream().mapToInt(Integer::intValue).sum()).isBetween(30, 50);

        lab.start("node-2");
        lab.awaitServersUp();
        Map<String, Integer> sticky = openThrough(topology.stickyPort(), 30);
        Map<String, Integer> roundRobin = openThrough(topology.roundRobinPort(), 30);
        System.out.println("30 new connections per frontend after node-2 restarted: sticky (leastconn) " + sticky
                + ", roundrobin " + roundRobin);
        assertThat(sticky.getOrDefault("node-2", 0)).as("leastconn fills the empty node").isGreaterThanOrEqualTo(25);
        assertThat(roundRobin.getOrDefault("node-2", 0)).as("round-robin keeps rotating").isLessThanOrEqualTo(12);
    }

    @Test
    void aKilledNodeIsMarkedDownItsClientsReconnectElsewhereAndTheCounterIsUnchanged() {
        HttpClient http = HttpClient.newHttpClient();
        TestClient onTwo = null;
        for (int i = 0; i < 6 && onTwo == null; i++) {
            TestClient c = TestClient.connect(http, topology.roundRobinPort());
            clients.add(c);
            if (c.await("welcome").get("node").asText().equals("node-2")) {
                onTwo = c;
            }
        }
        assertThat(onTwo).isNotNull();
        onTwo.join("kill");
        for (int i = 1; i <= 3; i++) {
            onTwo.send("{\"type\":\"incr\",\"room\":\"kill\",\"id\":\"k" + i + "\"}");
        }
        String last = "k3";
        onTwo.await(e -> last.equals(e.path("id").asText()), "third incr acked");

        lab.kill("node-2");
        assertThat(onTwo.awaitClose()).isEqualTo(1006);
        long killedAt = System.nanoTime();
        Eventually.until(() -> lab.haproxy().serverStates().entrySet().stream()
                .filter(e -> e.getKey().endsWith("/node-2")).allMatch(e -> e.getValue().startsWith("DOWN")),
                Duration.ofSeconds(10), "HAProxy marks node-2 down");
        System.out.printf("node-2 marked DOWN %d ms after kill -9%n", (System.nanoTime() - killedAt) / 1_000_000);

        for (int i = 0; i < 6; i++) {
            TestClient again = TestClient.connect(http, topology.roundRobinPort());
            clients.add(again);
            assertThat(again.await("welcome").get("node").asText()).isNotEqualTo("node-2");
            assertThat(again.join("kill").get("counter").asLong()).isEqualTo(3);
        }
        lab.restart("node-2");
        lab.awaitServersUp();
    }

    @Test
    void drainSendsNoNewClientsThenClosesOpenOnesWith1001AndTheyLandElsewhere() {
        List<TestClient> onThree = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            TestClient client = TestClient.connect(HttpClient.newHttpClient(), topology.roundRobinPort());
            clients.add(client);
            if (client.await("welcome").get("node").asText().equals("node-3")) {
                onThree.add(client);
            }
        }
        assertThat(onThree).hasSize(3);
        Pinned pinned = stickyClientOn("node-3");
        onThree.add(pinned.client());

        // Longer than HAProxy takes to mark a failing node down (2 s): the tunnels must survive until the node closes them.
        lab.drain("node-3", Duration.ofMillis(3000));
        assertThat(openThrough(topology.roundRobinPort(), 6)).doesNotContainKey("node-3");
        for (TestClient client : onThree) {
            assertThat(client.awaitClose()).isEqualTo(1001);
            assertThat(client.closeReason()).contains("reconnect");
        }
        assertThat(openThrough(topology.roundRobinPort(), 3)).doesNotContainKey("node-3");
        // Its cookie still names node-3, yet it is placed elsewhere at once (not refused until the drain ends).
        assertThat(connectAndGetNode(pinned.http(), topology.stickyPort())).isNotEqualTo("node-3");

        lab.undrain("node-3");
        lab.awaitServersUp();
        assertThat(openThrough(topology.roundRobinPort(), 6)).containsEntry("node-3", 2);
    }

    @Test
    void aNodeCutOffTheNetworkIsMarkedDownItsClientsResumeElsewhereAndOnceHealedItServesAgain() {
        lab.isolate("node-2");
        try {
            HttpClient http = HttpClient.newHttpClient();
            TestClient onTwo = clientOn("node-2", http);
            TestClient publisher = clientOn("node-1", http);
            onTwo.join("cut");
            publisher.join("cut");
            long seen = publisher.publish("cut", "before", "p0").get("seq").asLong();
            onTwo.awaitMessage("cut", "before");

            long cutAt = System.nanoTime();
            lab.partition("node-2");
            // No FIN, no RST from node-2: the client learns of it only when HAProxy's checks mark the
            // server down and on-marked-down shutdown-sessions cuts the tunnel.
            assertThat(onTwo.awaitClose()).isEqualTo(1006);
            System.out.printf("client of the partitioned node cut %d ms after the link went down%n",
                    (System.nanoTime() - cutAt) / 1_000_000);
            for (int i = 1; i <= 3; i++) {
                assertThat(publisher.publish("cut", "during-" + i, "p" + i).get("type").asText()).isEqualTo("ack");
            }

            TestClient back = TestClient.connect(http, topology.roundRobinPort());
            clients.add(back);
            assertThat(back.await("welcome").get("node").asText()).isNotEqualTo("node-2");
            back.send("{\"type\":\"join\",\"room\":\"cut\",\"since\":" + seen + "}");
            assertThat(back.await("joined").get("resumed").asLong()).isEqualTo(3);
            for (int i = 1; i <= 3; i++) {
                assertThat(back.awaitMessage("cut", "during-" + i).get("seq").asLong()).isEqualTo(seen + i);
            }

            lab.heal("node-2");
            lab.awaitServersUp();
            TestClient again = clientOn("node-2", http);
            again.join("cut");
            publisher.publish("cut", "after", "p4");
            assertThat(again.awaitMessage("cut", "after").get("seq").asLong()).isEqualTo(seen + 4);
        } finally {
            lab.rejoin("node-2");
        }
    }

    @Test
    void throughARollingRestartOfEveryNodeAResumingClientGetsEverySeqExactlyOnce() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        TestClient client = TestClient.connect(http, topology.stickyPort());
        clients.add(client);
        long first = client.join("rolling").get("seq").asLong();
        List<Long> seqs = new ArrayList<>();
        int published = 0;
        for (String node : topology.nodeIds()) {
            lab.restart(node);
            lab.awaitServersUp();
            for (int i = 0; i < 2; i++) {
                Http.Response sent = Http.post(topology.stickyPort(), "/api/rooms/rolling/messages", "{\"text\":\"m" + published++ + "\"}");
                assertThat(sent.status()).isEqualTo(200);
            }
            seqs.addAll(messageSeqs(client.drain(Duration.ofMillis(300))));
            if (client.isClosed()) {
                long since = seqs.isEmpty() ? first : seqs.get(seqs.size() - 1);
                client = TestClient.connect(http, topology.stickyPort());
                clients.add(client);
                client.send("{\"type\":\"join\",\"room\":\"rolling\",\"since\":" + since + "}");
                client.await("joined");
                seqs.addAll(messageSeqs(client.drain(Duration.ofMillis(300))));
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long seq = first + 1; seq <= first + published; seq++) {
            expected.add(seq);
        }
        assertThat(seqs).as("every seq once, in order, across %d restarts", topology.nodes()).isEqualTo(expected);
    }

    private static List<Long> messageSeqs(List<com.fasterxml.jackson.databind.JsonNode> events) {
        return events.stream().filter(e -> "message".equals(e.path("type").asText()))
                .map(e -> e.path("seq").asLong()).toList();
    }

    @Test
    void aStickyClientWhoseNodeDrainsItselfIsPlacedElsewhereByHaproxysRetryNotRefused() {
        Pinned pinned = stickyClientOn("node-1");
        pinned.client().close();
        // Only the node drains (its admin listener; HAProxy is not told), as when a node drains on its
        // own: its upgrades get 503, which HAProxy retries on another server despite the cookie.
        assertThat(Http.post(topology.adminPort(1), "/admin/drain?graceMs=60000", "").status()).isEqualTo(202);
        assertThat(connectAndGetNode(pinned.http(), topology.stickyPort())).isNotEqualTo("node-1");
    }


}
