package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
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
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 3);
        lab = new Lab(topology, new PrintStream(output, true));
        lab.up();
    }

    @AfterEach
    void down() {
        lab.down();
        for (String id : topology.nodeIds()) {
            assertThat(lab.isRunning(id)).as(id + " stopped").isFalse();
        }
        assertThat(lab.isRunning("redis")).isFalse();
    }

    @Test
    void upIsIdempotentAndTheNodesFormOneCluster() {
        lab.up();
        assertThat(output.toString()).contains("node-2     already running");
        JsonNode cluster = Eventually.value(() -> Http.get(topology.nodePort(1), "/api/cluster").json(),
                c -> c.get("nodes").size() == 3, Duration.ofSeconds(10), "three nodes in the cluster");
        assertThat(cluster.get("nodes").findValuesAsText("node")).containsExactly("node-1", "node-2", "node-3");
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
        Eventually.until(() -> Http.get(topology.nodePort(1), "/api/cluster").json().get("nodes").size() == 2,
                Duration.ofSeconds(15), "node-2's heartbeat expired");
        lab.restart("node-2");
        try (TestClient back = TestClient.connect(topology.nodePort(2))) {
            assertThat(back.await("welcome").get("node").asText()).isEqualTo("node-2");
            assertThat(back.join("demo").get("counter").asLong()).isEqualTo(1);
        }
        assertThat(lab.status()).anySatisfy(line -> assertThat(line).startsWith("node-2").contains("\"ok\":true"));
    }
}
