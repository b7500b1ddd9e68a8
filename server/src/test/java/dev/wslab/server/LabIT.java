package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.ManagedProcess;
import dev.wslab.launcher.PidFiles;
import java.util.Set;
import java.util.List;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native lab as users run it: node processes from the built jar, the lab's own Redis, driven by
 * the launcher's code (what {@code ./lab} calls), on free ports so a running lab is not disturbed.
 */
class LabIT {
    @TempDir
    Path runDir;
    Lab lab;
    LabTopology topology;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void up() {
        // Four nodes: one more than haproxy.cfg declares, so the runtime `add server` path runs too.
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 4);
        lab = new Lab(topology, new PrintStream(output, true));
        lab.up();
    }

    @AfterEach
    void downLeavesNoProcessAndNoPortBehind() {
        lab.down();
        for (String process : List.of("node-1", "node-2", "node-3", "node-4", "redis", "haproxy", "prometheus")) {
            assertThat(lab.isRunning(process)).as(process + " stopped").isFalse();
        }
        List<Integer> ports = new java.util.ArrayList<>(List.of(topology.redisPort(), topology.statsPort(), topology.prometheusPort()));
        ports.addAll(topology.frontends().values());
        for (int i = 1; i <= topology.nodes(); i++) {
            ports.add(topology.nodePort(i));
            ports.add(topology.adminPort(i));
        }
        for (int port : ports) {
            ManagedProcess.awaitPortFree("127.0.0.1", port, Duration.ofSeconds(2));
        }
    }

    @Test
    void everyProcessOfTheNativeLabListensOnLoopbackOnly() {
        // HAProxy runs master-worker: the pid file names the master, which listens on nothing but its
        // CLI's Unix socket; the worker holds the frontends.
        long haproxyMaster = PidFiles.live(topology.pidFile("haproxy")).orElseThrow().pid();
        assertThat(ListeningSockets.of(haproxyMaster)).as("haproxy's master listens on no TCP port").isEmpty();
        long haproxyWorker = lab.haproxyMaster().workers().current();
        for (String process : List.of("node-1", "node-2", "node-3", "node-4", "redis", "haproxy", "prometheus")) {
            long pid = process.equals("haproxy") ? haproxyWorker : PidFiles.live(topology.pidFile(process)).orElseThrow().pid();
            Set<String> listening = ListeningSockets.of(pid);
            assertThat(listening).as(process + " listens").isNotEmpty()
                    .allMatch(a -> a.startsWith("127.0.0.1:") || a.startsWith("[::1]:"), "a loopback address");
        }
        assertThat(ListeningSockets.of(PidFiles.live(topology.pidFile("node-2")).orElseThrow().pid()))
                .as("node, admin and agent ports").containsExactlyInAnyOrder("127.0.0.1:" + topology.nodePort(2),
                        "127.0.0.1:" + topology.adminPort(2), "127.0.0.1:" + topology.agentPort(2));
        assertThat(ListeningSockets.of(haproxyWorker)).as("every frontend")
                .containsAll(topology.frontends().values().stream().map(port -> "127.0.0.1:" + port).toList());
    }

    @Test
    void upIsIdempotentAndTheNodesFormOneClusterBehindHaproxyAndPrometheus() {
        lab.up();
        assertThat(output.toString()).contains("node-2     already running").contains("haproxy    already running");
        JsonNode cluster = Eventually.value(() -> Http.get(topology.stickyPort(), "/api/cluster").json(),
                c -> c.get("nodes").size() == 4, Duration.ofSeconds(10), "four nodes in the cluster");
        assertThat(cluster.get("nodes").findValuesAsText("node")).containsExactly("node-1", "node-2", "node-3", "node-4");
        assertThat(lab.haproxy().serverStates()).containsKeys("sticky/node-4", "roundrobin/node-4");
        Eventually.until(() -> Http.get(topology.prometheusPort(), "/api/v1/query?query=up%7Bjob%3D%22wslab-nodes%22%7D%3D%3D1")
                .json().at("/data/result").size() == 4, Duration.ofSeconds(15), "Prometheus scrapes all four nodes");
        try (TestClient onThree = TestClient.connect(topology.nodePort(3))) {
            onThree.join("lab");
            assertThat(Http.post(topology.nodePort(1), "/api/rooms/lab/messages", "{\"text\":\"across\"}").status())
                    .isEqualTo(200);
            assertThat(onThree.awaitMessage("lab", "across").get("node").asText()).isEqualTo("node-1");
        }
    }

    @Test
    void aKilledNodeLeavesTheClusterAndARestartedOneRejoinsWithTheSameCounter() {
        try (TestClient client = TestClient.connect(topology.nodePort(2))) {
            client.join("demo");
            client.send("{\"type\":\"incr\",\"room\":\"demo\",\"id\":\"i\"}");
            client.await("ack");
            lab.kill("node-2");
            assertThat(client.awaitClose()).isEqualTo(1006);
        }
        Eventually.until(() -> Http.get(topology.nodePort(1), "/api/cluster").json().get("nodes").size() == 3,
                Duration.ofSeconds(15), "node-2's heartbeat expired");
        lab.restart("node-2");
        try (TestClient back = TestClient.connect(topology.nodePort(2))) {
            assertThat(back.await("welcome").get("node").asText()).isEqualTo("node-2");
            assertThat(back.join("demo").get("counter").asLong()).isEqualTo(1);
        }
        assertThat(lab.status()).anySatisfy(line -> assertThat(line).startsWith("node-2").contains("\"ok\":true"));
    }

    @Test
    void adminEndpointsAreNotReachableThroughAnyFrontendNorOnTheNodesPublicPort() {
        List<Integer> ports = new java.util.ArrayList<>(topology.frontends().values());
        ports.add(topology.nodePort(1));
        for (int port : ports) {
            Http.Response drain = Http.post(port, "/admin/drain?graceMs=0", "");
            assertThat(drain.status()).as("POST /admin/drain on port " + port).isEqualTo(404);
        }
        // Nothing drained: every node still takes clients, as HAProxy sees it.
        for (int i = 1; i <= topology.nodes(); i++) {
            assertThat(Http.get(topology.nodePort(i), "/health").json().get("status").asText()).isEqualTo("ok");
        }
        assertThat(lab.haproxy().serverStates().values()).allSatisfy(state -> assertThat(state).startsWith("UP"));
        // The admin listener exists, on loopback only, where the launcher reaches it.
        assertThat(Http.get(topology.adminPort(1), "/health").status()).isEqualTo(200);
    }
}
