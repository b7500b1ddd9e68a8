package dev.wslab.server;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The cross-node suite on one real redis-server, and on a real Redis Cluster of 3 masters and 3 replicas. */
class ClusterIT {
    @TempDir
    static Path redisDir;
    static RedisServer redis;
    static RedisCluster redisCluster;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(redisDir.resolve("single"), FreePorts.find());
        redisCluster = RedisCluster.start(redisDir.resolve("cluster"), 3, 1);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        redisCluster.close();
    }

    private static long count(Object numsubReply) {
        return Long.parseLong(((List<?>) numsubReply).get(1).toString());
    }

    @Nested
    class OnOneRedis extends CrossNodeSuite {
        @Override
        protected TestNodes nodes(Map<String, String> overrides) {
            return new TestNodes(redis.uri(), overrides);
        }

        @Override
        protected long numsub(String channel) {
            return count(redis.command("PUBSUB", "NUMSUB", channel));
        }
    }

    @Nested
    class OnRedisCluster extends CrossNodeSuite {
        @Override
        protected TestNodes nodes(Map<String, String> overrides) {
            Map<String, String> env = new HashMap<>(overrides);
            env.put("WSLAB_REDIS_CLUSTER", redisCluster.seeds());
            return new TestNodes(null, env);
        }

        /** Sharded subscriptions live on the master of the channel's slot. */
        @Override
        protected long numsub(String channel) {
            return count(redisCluster.masterOf(channel).command("PUBSUB", "SHARDNUMSUB", channel));
        }
    }
}
