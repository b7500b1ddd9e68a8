package dev.wslab.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.RedisServer;
import dev.wslab.server.state.RedisKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker contract on a real redis-server, plus what only a shared bus can do: cross nodes. */
class RedisBrokerIT extends BrokerContract {
    @TempDir
    static Path dir;
    static RedisServer redis;
    private final List<RedisConnections> opened = new ArrayList<>();
    private final RedisKeys keys = new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8));

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(dir, FreePorts.find());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeConnections() {
        opened.forEach(RedisConnections::close);
    }

    private Broker broker(String node, Broker.Listener listener) {
        RedisConnections connections = new RedisConnections(redis.uri(), Duration.ofSeconds(2));
        opened.add(connections);
        return new RedisBroker(node, keys, connections, listener, Clock.systemUTC(), 100, Duration.ofMinutes(5));
    }

    @Override
    protected Broker create(Broker.Listener listener) {
        return broker("node-a", listener);
    }

    @Test
    void anEventPublishedOnOneNodeReachesTheOtherWithItsOriginNode() throws Exception {
        BlockingQueue<Envelope> onB = new LinkedBlockingQueue<>();
        Broker nodeB = broker("node-b", (room, e) -> onB.add(e));
        nodeB.subscribe("lobby").toCompletableFuture().join();
        long seq = publish("lobby", "from a");
        Envelope e = onB.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).isNotNull();
        assertThat(e.origin()).isEqualTo("node-a");
        assertThat(e.seq()).isEqualTo(seq);
        assertThat(e.frameText()).contains("from a");
    }

    @Test
    void publishingWhileRedisIsUnreachableFailsInsteadOfQueueing() throws InterruptedException {
        Broker lonely = broker("node-x", (room, e) -> { });
        redis.stop();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lonely.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lonely.isConnected()).isFalse();
            assertThat(lonely.publishNumbered("r", Broker.Number.SEQ,
                    codec.messageTemplate("r", codec.object(), "node-x", 0)).toCompletableFuture())
                    .failsWithin(Duration.ofSeconds(5));
        } finally {
            redis.restart();
        }
    }
}
