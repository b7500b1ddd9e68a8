package dev.wslab.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.redis.RedisConnections;
import dev.wslab.server.redis.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker contract on real Redis, plus what only a shared bus can do: cross nodes. Run against a
 * single redis-server and a Redis Cluster ({@link RedisBrokerIT}).
 */
abstract class RedisBrokerSuite extends BrokerContract {
    private final List<RedisConnections> opened = new ArrayList<>();
    private final RedisKeys keys = new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8));

    /** Fresh connections to the Redis under test. */
    protected abstract RedisConnections connect();

    /** One command on the Redis that holds {@code key} (the shard of its slot, on a cluster). */
    protected abstract Object onShardOf(String key, String... command);

    /** Every Redis process of it gone. */
    protected abstract void stopRedis();

    /** Back on the same ports and data, and serving. */
    protected abstract void restartRedis();

    @AfterEach
    void closeConnections() {
        opened.forEach(RedisConnections::close);
    }

    private Broker broker(String node, Broker.Listener listener) {
        RedisConnections connections = connect();
        opened.add(connections);
        RedisBroker broker = new RedisBroker(node, keys, connections, Clock.systemUTC(), 100, Duration.ofMinutes(5));
        broker.start(listener);
        return broker;
    }

    @Override
    protected Broker create(Broker.Listener listener) {
        return broker("node-a", listener);
    }

    @Test
    void aRedisThatForgotThePublishScriptIsSentItAgainAndThePublishSucceeds() {
        RedisConnections connections = connect();
        opened.add(connections);
        long first = publish("flushed", "a");
        String key = keys.seq("flushed");
        assertThat(onShardOf(key, "SCRIPT", "EXISTS", scriptSha())).as("run by SHA: the script is loaded").isEqualTo(List.of(1L));
        onShardOf(key, "SCRIPT", "FLUSH");
        assertThat(publish("flushed", "b")).isEqualTo(first + 1);
        assertThat(onShardOf(key, "SCRIPT", "EXISTS", scriptSha())).as("loaded again by the fallback EVAL").isEqualTo(List.of(1L));
    }

    @Test
    void eachNodesBackToBackPublishesAreNumberedInTheOrderSentAlsoWhenRedisHasForgottenTheScript() {
        Broker other = broker("node-b", (room, envelope) -> { });
        String key = keys.seq("ordered");
        for (int round = 0; round < 20; round++) {
            onShardOf(key, "SCRIPT", "FLUSH");
            List<CompletableFuture<Long>> fromA = new ArrayList<>();
            List<CompletableFuture<Long>> fromB = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fromA.add(publishAsync(broker, "a" + i));
                fromB.add(publishAsync(other, "b" + i));
            }
            List<Long> seqsA = fromA.stream().map(CompletableFuture::join).toList();
            List<Long> seqsB = fromB.stream().map(CompletableFuture::join).toList();
            assertThat(seqsA).as("node-a's seqs in round %d", round).isSorted().doesNotHaveDuplicates();
            assertThat(seqsB).as("node-b's seqs in round %d", round).isSorted().doesNotHaveDuplicates();
        }
    }

    private CompletableFuture<Long> publishAsync(Broker from, String text) {
        return from.publishNumbered("ordered", Broker.Number.SEQ,
                codec.messageTemplate("ordered", codec.object().put("text", text), "node-a", 1L)).toCompletableFuture();
    }

    @Test
    void aSeqNumberedByAnotherRedisProcessJumpsPastTheFenceOnlyWhereAFailoverCanLoseWrites() {
        RedisConnections connections = connect();
        opened.add(connections);
        long first = publish("fenced", "a");
        assertThat(publish("fenced", "b")).as("the same process numbers on").isEqualTo(first + 1);
        // What a replica that took over sees: the last seq was given out by another process.
        onShardOf(keys.seqFence("fenced"), "SET", keys.seqFence("fenced"), "0123456789abcdef");
        long jump = connections.losesWritesOnFailover() ? RedisBroker.FENCE_JUMP : 0;
        assertThat(publish("fenced", "c")).isEqualTo(first + 2 + jump);
        assertThat(publish("fenced", "d")).as("one jump per change of process").isEqualTo(first + 3 + jump);
    }

    private String scriptSha() {
        return ((RedisBroker) broker).publishSha();
    }

    @Test
    void theHistoryDropsMessagesOlderThanItsTtlWhileTheRoomStaysBusy() throws Exception {
        RedisConnections connections = connect();
        opened.add(connections);
        // The node's clock stamps each message's age; stepping it 600 ms between publishes ages them
        // without waiting, and the room's real-time quiet expiry (1 s) cannot fire meanwhile.
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
        Clock stepped = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        Broker aged = new RedisBroker("node-a", keys, connections, stepped, 100, Duration.ofMillis(1000));
        for (int i = 1; i <= 3; i++) {
            aged.publishNumbered("aging", Broker.Number.SEQ, new dev.wslab.server.protocol.Codec()
                    .messageTemplate("aging", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"i\":" + i + "}"),
                            "node-a", 0)).toCompletableFuture().join();
            now.addAndGet(600);
        }
        // The first is 1.2 s old when the third arrives: gone by age; the second, 0.6 s old, stays.
        List<io.lettuce.core.StreamMessage<String, String>> left = connections.commands()
                .xrange(keys.history("aging"), io.lettuce.core.Range.create("-", "+")).toCompletableFuture().join();
        assertThat(left).extracting(io.lettuce.core.StreamMessage::getId).containsExactly("2-0", "3-0");
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
    void aSubscriptionMadeAgainAfterItsConnectionWasCutIsToldToTheListener() throws Exception {
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        Broker nodeB = broker("node-b", subscriptionsInto(subscribed));
        nodeB.subscribe("lapsed").toCompletableFuture().join();
        assertThat(subscribed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("lapsed");
        // Redis drops the subscribed connection; Lettuce connects again and subscribes the room again.
        onShardOf(keys.channel("lapsed"), "CLIENT", "KILL", "TYPE", "pubsub");
        assertThat(subscribed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("told again after the cut").isEqualTo("lapsed");
    }

    @Test
    void garbageOnARoomsChannelIsReportedAndTheRoomsNextEventStillArrives() throws Exception {
        BlockingQueue<String> malformed = new LinkedBlockingQueue<>();
        BlockingQueue<Envelope> onB = new LinkedBlockingQueue<>();
        Broker nodeB = broker("node-b", new Broker.Listener() {
            @Override
            public void onRoomEvent(String room, Envelope envelope) {
                onB.add(envelope);
            }

            @Override
            public void onMalformed(String room, String reason) {
                malformed.add(room + ": " + reason);
            }
        });
        nodeB.subscribe("lobby").toCompletableFuture().join();
        RedisConnections other = connect();
        opened.add(other);
        other.publish(keys.channel("lobby"), "not an envelope").toCompletableFuture().join();
        other.publish(keys.channel("lobby"), "node-x\n1\n99999999999999999999\n{}").toCompletableFuture().join();
        long seq = publish("lobby", "after the garbage");
        assertThat(malformed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("lobby: not a bus envelope: missing header line");
        assertThat(malformed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("lobby: not a bus envelope: number too large");
        Envelope e = onB.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("the event published after the garbage").isNotNull();
        assertThat(e.seq()).isEqualTo(seq);
    }

    @Test
    void publishingWhileRedisIsUnreachableFailsInsteadOfQueueing() throws InterruptedException {
        Broker lonely = broker("node-x", (room, e) -> { });
        stopRedis();
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
            restartRedis();
        }
    }
}
