package dev.wslab.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisServer;
import dev.wslab.server.Eventually;
import dev.wslab.server.redis.RedisConnections;
import dev.wslab.server.redis.RedisKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared state on a real redis-server: the three contracts, plus what only a store shared by
 * nodes can show — counts summed over nodes, and a dead node's counts reaped with its heartbeat.
 */
class RedisStateIT {
    @TempDir
    static Path dir;
    static RedisServer redis;
    static RedisConnections connections;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(dir, FreePorts.find());
        connections = new RedisConnections(redis.uri(), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopRedis() {
        connections.close();
        redis.close();
    }

    /** A key prefix of its own for each test: tests never see each other's keys. */
    private static RedisKeys freshKeys() {
        return new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Nested
    class Members extends MemberCountsContract {
        private final RedisKeys keys = freshKeys();

        @Override
        protected MemberCounts counts(String nodeId) {
            return new RedisMemberCounts(nodeId, keys, connections.commands());
        }
    }

    @Nested
    class Cluster extends ClusterRegistryContract {
        @Override
        protected ClusterRegistry registry() {
            return new RedisClusterRegistry(freshKeys(), connections.commands());
        }
    }

    @Nested
    class Sessions extends SessionDirectoryContract {
        @Override
        protected SessionDirectory directory() {
            return new RedisSessionDirectory(freshKeys(), connections.commands());
        }
    }

    @Test
    void eachNodesMembersAreSummedAndAForgottenNodesNoLongerCount() {
        RedisKeys keys = freshKeys();
        SharedState a = SharedState.redis("node-a", keys, connections.commands());
        SharedState b = SharedState.redis("node-b", keys, connections.commands());
        a.members().memberJoined("lobby").toCompletableFuture().join();
        a.members().memberJoined("lobby").toCompletableFuture().join();
        assertThat(b.members().memberJoined("lobby").toCompletableFuture().join()).isEqualTo(3);
        b.cluster().forget("node-a").toCompletableFuture().join();
        assertThat(b.members().members("lobby").toCompletableFuture().join()).isEqualTo(1);
    }

    @Test
    void aNodeWhoseHeartbeatExpiredIsReapedFromTheMemberCountsByTheNextAnnouncement() {
        RedisKeys keys = freshKeys();
        SharedState a = SharedState.redis("node-a", keys, connections.commands());
        SharedState b = SharedState.redis("node-b", keys, connections.commands());
        a.cluster().announce(new NodeInfo("node-a", 2, 1, false), Duration.ofMillis(300)).toCompletableFuture().join();
        a.members().memberJoined("lobby").toCompletableFuture().join();
        a.members().memberJoined("lobby").toCompletableFuture().join();
        b.members().memberJoined("lobby").toCompletableFuture().join();
        assertThat(b.members().members("lobby").toCompletableFuture().join()).isEqualTo(3);
        // node-a stops beating: node-b's next announcement, once node-a's has expired, drops its counts.
        Eventually.until(() -> {
            b.cluster().announce(new NodeInfo("node-b", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
            return b.members().members("lobby").toCompletableFuture().join() == 1;
        }, Duration.ofSeconds(5), "node-a's members reaped");
        assertThat(b.cluster().cluster().toCompletableFuture().join()).extracting(NodeInfo::node).containsExactly("node-b");
    }
}
