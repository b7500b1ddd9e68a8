package dev.wslab.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import dev.wslab.server.Eventually;
import dev.wslab.server.redis.RedisConnections;
import dev.wslab.server.redis.RedisKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared state on a real single redis-server and on a real 3-master Redis Cluster: the three
 * contracts on each, plus what only a store shared by nodes can show — counts summed over nodes, and
 * a dead node's counts reaped with its heartbeat (on a cluster, the room's count and the node's
 * heartbeat live on different shards).
 */
class RedisStateIT {
    @TempDir
    static Path dir;
    static RedisServer redis;
    static RedisCluster cluster;
    static RedisConnections single;
    static RedisConnections clustered;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(dir.resolve("single"), FreePorts.find());
        cluster = RedisCluster.start(dir.resolve("cluster"), 3, 1);
        single = RedisConnections.connect(redis.uri(), List.of(), Duration.ofSeconds(2));
        clustered = RedisConnections.connect("", List.of(cluster.seeds().split(",")), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopRedis() {
        single.close();
        clustered.close();
        redis.close();
        cluster.close();
    }

    /** A key prefix of its own for each test: tests never see each other's keys. */
    private static RedisKeys freshKeys() {
        return new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static SharedState state(RedisConnections on, String nodeId, RedisKeys keys) {
        return SharedState.redis(nodeId, keys, on.commands());
    }

    @Nested
    class MembersOnSingle extends MemberCountsContract {
        private final RedisKeys keys = freshKeys();

        @Override
        protected MemberCounts counts(String nodeId) {
            return state(single, nodeId, keys).members();
        }
    }

    @Nested
    class MembersOnCluster extends MemberCountsContract {
        private final RedisKeys keys = freshKeys();

        @Override
        protected MemberCounts counts(String nodeId) {
            return state(clustered, nodeId, keys).members();
        }
    }

    @Nested
    class RegistryOnSingle extends ClusterRegistryContract {
        @Override
        protected ClusterRegistry registry() {
            return state(single, "any", freshKeys()).cluster();
        }
    }

    @Nested
    class RegistryOnCluster extends ClusterRegistryContract {
        @Override
        protected ClusterRegistry registry() {
            return state(clustered, "any", freshKeys()).cluster();
        }
    }

    @Nested
    class SessionsOnSingle extends SessionDirectoryContract {
        @Override
        protected SessionDirectory directory() {
            return state(single, "any", freshKeys()).sessions();
        }
    }

    @Nested
    class SessionsOnCluster extends SessionDirectoryContract {
        @Override
        protected SessionDirectory directory() {
            return state(clustered, "any", freshKeys()).sessions();
        }
    }

    @Nested
    class NodesOnSingle extends SharedNodes {
        NodesOnSingle() {
            super(single);
        }
    }

    @Nested
    class NodesOnCluster extends SharedNodes {
        NodesOnCluster() {
            super(clustered);
        }
    }

    abstract static class SharedNodes {
        private final RedisConnections on;

        SharedNodes(RedisConnections on) {
            this.on = on;
        }

        @Test
        void eachNodesMembersAreSummedAndAForgottenNodesNoLongerCount() {
            RedisKeys keys = freshKeys();
            SharedState a = state(on, "node-a", keys);
            SharedState b = state(on, "node-b", keys);
            a.members().memberJoined("lobby").toCompletableFuture().join();
            a.members().memberJoined("lobby").toCompletableFuture().join();
            assertThat(b.members().memberJoined("lobby").toCompletableFuture().join()).isEqualTo(3);
            b.cluster().forget("node-a").toCompletableFuture().join();
            assertThat(b.members().members("lobby").toCompletableFuture().join()).isEqualTo(1);
        }

        @Test
        void aNodeWhoseHeartbeatExpiredIsReapedFromTheMemberCountsOfEveryRoomByTheNextAnnouncement() {
            RedisKeys keys = freshKeys();
            SharedState a = state(on, "node-a", keys);
            SharedState b = state(on, "node-b", keys);
            a.cluster().announce(new NodeInfo("node-a", 2, 1, false), Duration.ofMillis(300)).toCompletableFuture().join();
            // Rooms whose slots are on different shards of a cluster.
            for (String room : List.of("lobby", "kitchen", "garden")) {
                a.members().memberJoined(room).toCompletableFuture().join();
                a.members().memberJoined(room).toCompletableFuture().join();
                b.members().memberJoined(room).toCompletableFuture().join();
                assertThat(b.members().members(room).toCompletableFuture().join()).isEqualTo(3);
            }
            // node-a stops beating: node-b's next announcement, once node-a's has expired, drops its counts.
            Eventually.until(() -> {
                b.cluster().announce(new NodeInfo("node-b", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
                return List.of("lobby", "kitchen", "garden").stream()
                        .allMatch(room -> b.members().members(room).toCompletableFuture().join() == 1);
            }, Duration.ofSeconds(5), "node-a's members reaped in every room");
            assertThat(b.cluster().cluster().toCompletableFuture().join()).extracting(NodeInfo::node).containsExactly("node-b");
        }

        @Test
        void aNodeThatBeatsAgainBeforeItsReapingIsKeptWithItsCounts() {
            RedisKeys keys = freshKeys();
            SharedState a = state(on, "node-a", keys);
            SharedState b = state(on, "node-b", keys);
            a.cluster().announce(new NodeInfo("node-a", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
            a.members().memberJoined("lobby").toCompletableFuture().join();
            b.cluster().announce(new NodeInfo("node-b", 0, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
            assertThat(b.members().members("lobby").toCompletableFuture().join()).isEqualTo(1);
            assertThat(b.cluster().cluster().toCompletableFuture().join()).extracting(NodeInfo::node)
                    .containsExactly("node-a", "node-b");
        }
    }
}
