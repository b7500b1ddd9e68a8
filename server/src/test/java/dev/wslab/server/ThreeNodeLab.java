package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole native lab — Redis, three node processes, HAProxy with every policy, Prometheus —
 * started once through the launcher's code for a test class, with the ways its tests reach a node:
 * the clients each test opens are closed after it, and every node is running and undrained again.
 */
abstract class ThreeNodeLab {
    @TempDir
    static Path runDir;
    static LabTopology topology;
    static Lab lab;
    final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void up() {
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 3);
        lab = new Lab(topology, new PrintStream(new ByteArrayOutputStream(), true));
        lab.up();
    }

    @AfterAll
    static void down() {
        lab.down();
    }

    @AfterEach
    void closeClientsAndRestoreEveryNode() {
        clients.forEach(TestClient::close);
        clients.clear();
        for (String node : topology.nodeIds()) {
            if (!lab.isRunning(node)) {
                lab.start(node);
            }
            lab.undrain(node);
        }
        lab.awaitServersUp();
        Eventually.until(() -> totalConnections() == 0, Duration.ofSeconds(10), "all test sockets closed");
    }

    String connectAndGetNode(HttpClient http, int port) {
        TestClient client = TestClient.connect(http, port);
        clients.add(client);
        return client.await("welcome").get("node").asText();
    }

    /** A client through the round-robin frontend that landed on the given node. */
    TestClient clientOn(String node, HttpClient http) {
        for (int i = 0; i < 9; i++) {
            TestClient c = TestClient.connect(http, topology.roundRobinPort());
            clients.add(c);
            if (c.await("welcome").get("node").asText().equals(node)) {
                return c;
            }
        }
        throw new AssertionError("no client landed on " + node);
    }

    /** A client through the sticky frontend, and the HTTP client holding the cookie that pins it there. */
    record Pinned(TestClient client, HttpClient http) {}

    Pinned stickyClientOn(String node) {
        for (int i = 0; i < 12; i++) {
            HttpClient withCookie = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            TestClient c = TestClient.connect(withCookie, topology.stickyPort());
            clients.add(c);
            if (c.await("welcome").get("node").asText().equals(node)) {
                return new Pinned(c, withCookie);
            }
        }
        throw new AssertionError("no sticky client landed on " + node);
    }

    Map<String, Integer> openThrough(int port, int count) {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Integer> landed = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            landed.merge(connectAndGetNode(http, port), 1, Integer::sum);
        }
        return landed;
    }

    long totalConnections() {
        long total = 0;
        for (int i = 1; i <= 3; i++) {
            try {
                String metrics = Http.get(topology.nodePort(i), "/metrics").body();
                for (String line : metrics.split("\n")) {
                    if (line.startsWith("wslab_connections_active{")) {
                        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (AssertionError nodeDown) {
                // a node being restarted has no connections
            }
        }
        return total;
    }
}
