package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab up --redis cluster} as users run it, through the launcher's code: a Redis Cluster of
 * 3 masters and 3 replicas from Debian's redis-server, the nodes on it, everything else as usual.
 */
class LabRedisClusterIT {
    @TempDir
    Path runDir;
    Lab lab;
    LabTopology topology;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void up() {
        topology = LabTopology.onFreePorts(Path.of("..").toAbsolutePath().normalize(), runDir, 2);
        lab = new Lab(topology, new PrintStream(output, true));
        lab.chooseRedis(true);
        lab.up();
    }

    @AfterEach
    void downStopsEveryRedisOfTheCluster() {
        lab.down();
        for (int i = 1; i <= 6; i++) {
            assertThat(lab.isRunning("redis-" + (topology.redisPort() + i))).as("cluster node " + i + " stopped").isFalse();
            ManagedProcess.awaitPortFree("127.0.0.1", topology.redisPort() + i, Duration.ofSeconds(5));
        }
    }

    @Test
    void theStatusShowsThreeShardsEachWithItsSlotsAndAReplica() {
        List<String> shards = lab.status().stream().filter(l -> l.trim().startsWith("master ")).toList();
        assertThat(shards).hasSize(3).allMatch(l -> l.matches(".*slots \\d+-\\d+ replicas 127\\.0\\.0\\.1:\\d+.*"));
        assertThat(lab.status()).filteredOn(l -> l.startsWith("redis-")).hasSize(6).allMatch(l -> l.contains("pid="));
        assertThat(lab.redisDescription()).startsWith("Redis Cluster 127.0.0.1:");
    }

    @Test
    void roomsOnEveryShardCrossNodesWithTheirSeqs() {
        // Rooms whose slots fall on each of the three masters (slots 0-5460, 5461-10922, 10923-16383).
        List<String> rooms = List.of("lobby", "kitchen", "garden", "attic", "cellar");
        try (TestClient onOne = TestClient.connect(topology.nodePort(1)); TestClient onTwo = TestClient.connect(topology.nodePort(2))) {
            for (String room : rooms) {
                onTwo.join(room);
            }
            for (String room : rooms) {
                JsonNode ack = onOne.publish(room, "hello " + room, "p-" + room);
                assertThat(ack.get("type").asText()).as(room).isEqualTo("ack");
                JsonNode message = onTwo.awaitMessage(room, "hello " + room);
                assertThat(message.get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
            }
        }
        // redis-cli --cluster create gives 3 masters slots 0-5460, 5461-10922 and 10923-16383.
        assertThat(rooms.stream().map(io.lettuce.core.cluster.SlotHash::getSlot).map(slot -> slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2)
                .distinct()).as("the rooms' shards").hasSize(3);
    }
}
