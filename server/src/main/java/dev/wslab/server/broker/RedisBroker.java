package dev.wslab.server.broker;

import dev.wslab.server.redis.RedisConnections;
import dev.wslab.server.protocol.FrameTemplate;
import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.redis.OrderedScript;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * The cluster bus on Redis pub/sub (sharded pub/sub on a Redis Cluster), one channel per room ({@code <prefix>:room:{<room>}}, {@link RedisKeys}).
 *
 * <p>Numbered events go through one Lua script that increments the room's number and publishes the
 * frame with it: Redis runs scripts one at a time, so the order subscribers receive events in is the
 * order of their numbers, on every node.
 */
public final class RedisBroker implements Broker {
    /**
     * How far a room's seq jumps when another Redis process numbers it than the one before (a
     * failover, a restart): past every seq a lost tail can hold — what a room is given in the
     * replication lag, or on the minority side of a partition until cluster-node-timeout stops its
     * master taking writes — and far below where a seq runs out (2^53 for JavaScript clients).
     */
    static final long FENCE_JUMP = 10_000_000;

    private final String nodeId;
    private final RedisKeys keys;
    private final RedisConnections redis;
    private final Clock clock;
    private final String historyLength;
    private final String historyTtlMillis;
    /** The fence's jump as the script takes it, "0" where no failover can lose writes. */
    private final String fence;
    /** Numbers, keeps and publishes in one step (lua/publish_numbered.lua says how), in the order called. */
    private final OrderedScript publishNumbered = OrderedScript.load("publish_numbered");

    public RedisBroker(String nodeId, RedisKeys keys, RedisConnections redis, Clock clock, int historyLength,
            java.time.Duration historyTtl) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.redis = redis;
        this.clock = clock;
        this.historyLength = Integer.toString(historyLength);
        this.historyTtlMillis = Long.toString(historyTtl.toMillis());
        this.fence = redis.losesWritesOnFailover() ? Long.toString(FENCE_JUMP) : "0";
    }

    @Override
    public void start(Listener listener) {
        redis.listen(new RedisConnections.Listener() {
            @Override
            public void message(String channel, byte[] message) {
                String room = keys.roomOfChannel(channel);
                if (room == null) {
                    return;
                }
                Envelope envelope;
                try {
                    envelope = Envelope.parse(message);
                } catch (IllegalArgumentException malformed) {
                    listener.onMalformed(room, malformed.getMessage());
                    return;
                }
                listener.onRoomEvent(room, envelope);
            }

            @Override
            public void subscribed(String channel) {
                String room = keys.roomOfChannel(channel);
                if (room != null) {
                    listener.onSubscribed(room);
                }
            }
        });
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
        return redis.subscribe(keys.channel(room));
    }

    @Override
    public CompletionStage<Void> unsubscribe(String room) {
        return redis.unsubscribe(keys.channel(room));
    }

    @Override
    public CompletionStage<Long> publishNumbered(String room, Number number, FrameTemplate template) {
        String numberKey = number == Number.SEQ ? keys.seq(room) : keys.counter(room);
        FrameTemplate head = Envelope.head(nodeId, Micros.now(clock));
        return publishNumbered.<Long>run(redis.commands(), ScriptOutputType.INTEGER,
                new String[] {numberKey, keys.channel(room), keys.history(room), keys.seqFence(room)},
                head.prefix(), template.prefix(), template.suffix(), number == Number.SEQ ? "1" : "0",
                historyLength, historyTtlMillis, Long.toString(clock.millis()), head.suffix(), redis.publishCommand(), fence);
    }

    /** The SHA this broker's publishes run by. */
    String publishSha() {
        return publishNumbered.sha();
    }

    @Override
    public CompletionStage<Numbers> numbers(String room) {
        return redis.commands().mget(keys.seq(room), keys.counter(room))
                .thenApply(values -> new Numbers(number(values.get(0)), number(values.get(1))));
    }

    private static long number(io.lettuce.core.KeyValue<String, String> value) {
        return value.hasValue() ? Long.parseLong(value.getValue()) : 0;
    }

    @Override
    public CompletionStage<Replay> history(String room, long afterSeq, int limit) {
        if (limit <= 0) {
            return java.util.concurrent.CompletableFuture.completedFuture(Replay.EMPTY);
        }
        return redis.commands().xrange(keys.history(room), io.lettuce.core.Range.create((afterSeq + 1) + "-0", "+"),
                        io.lettuce.core.Limit.from(limit))
                .thenApply(entries -> {
                    if (entries.isEmpty()) {
                        return Replay.EMPTY;
                    }
                    long first = seqOf(entries.get(0).getId());
                    java.util.List<byte[]> frames = new java.util.ArrayList<>(entries.size());
                    // Up to the first hole only: a failover's fence makes the seqs jump (publish_numbered.lua),
                    // and a replay is consecutive from its first seq.
                    for (io.lettuce.core.StreamMessage<String, String> e : entries) {
                        if (seqOf(e.getId()) != first + frames.size()) {
                            break;
                        }
                        frames.add(e.getBody().get("f").getBytes(StandardCharsets.UTF_8));
                    }
                    return new Replay(first, frames);
                });
    }

    private static long seqOf(String streamId) {
        return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
    }

    @Override
    public CompletionStage<Void> publish(String room, byte[] frame) {
        byte[] envelope = Envelope.encode(nodeId, Micros.now(clock), 0, frame);
        return redis.publish(keys.channel(room), new String(envelope, StandardCharsets.UTF_8))
                .thenApply(receivers -> null);
    }

    @Override
    public boolean isConnected() {
        return redis.isOpen();
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        // The connections belong to whoever created them (the node), which closes them last.
    }

}
