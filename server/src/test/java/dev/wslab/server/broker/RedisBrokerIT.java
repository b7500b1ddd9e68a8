package dev.wslab.server.broker;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import dev.wslab.server.redis.RedisConnections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The Redis broker's suite on a real single redis-server and on a real 3-master Redis Cluster. */
class RedisBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    @TempDir
    static Path dir;
    static RedisServer redis;
    static RedisCluster cluster;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(dir.resolve("single"), FreePorts.find());
        cluster = RedisCluster.start(dir.resolve("cluster"), 3, 1);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        cluster.close();
    }

    @Nested
    class Single extends RedisBrokerSuite {
        @Override
        protected RedisConnections connect() {
            return RedisConnections.connect(redis.uri(), List.of(), TIMEOUT);
        }

        @Override
        protected Object onShardOf(String key, String... command) {
            return redis.command(command);
        }

        @Override
        protected void stopRedis() {
            redis.stop();
        }

        @Override
        protected void restartRedis() {
            redis.restart();
        }
    }

    @Nested
    class Cluster extends RedisBrokerSuite {
        @Override
        protected RedisConnections connect() {
            return RedisConnections.connect("", List.of(cluster.seeds().split(",")), TIMEOUT);
        }

        @Override
        protected Object onShardOf(String key, String... command) {
            return cluster.masterOf(key).command(command);
        }

        @Override
        protected void stopRedis() {
            cluster.servers().forEach(RedisServer::stop);
        }

        @Override
        protected void restartRedis() {
            cluster.servers().forEach(RedisServer::restart);
            cluster.awaitHealthy(Duration.ofSeconds(30));
        }
    }
}
