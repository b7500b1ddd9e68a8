package dev.wslab.server.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The node's way to Redis: commands and scripts, and pub/sub on one channel per room. Two kinds: a
 * single Redis ({@link SingleRedis}: {@code PUBLISH}/{@code SUBSCRIBE}) and a Redis Cluster
 * ({@link ClusterRedis}: sharded pub/sub, {@code SPUBLISH}/{@code SSUBSCRIBE}, each room's channel
 * on the shard that owns its slot). Both pass the same contract suites (RedisBrokerIT, RedisStateIT).
 *
 * <p>Commands are rejected, not queued, while a connection is down: a publish during an outage must
 * fail visibly. Payloads arrive as bytes so a received frame goes to sockets without being decoded.
 */
public interface RedisConnections extends AutoCloseable {

    /** What a room event arrives through: the channel it came on, and its bytes. */
    interface Listener {
        void message(String channel, byte[] message);

        /** Redis confirmed a subscription to the channel: the first, or one made again after a reconnect or a move. */
        default void subscribed(String channel) {
        }
    }

    /** A single Redis at {@code uri}, or — when {@code clusterSeeds} is not empty — a Redis Cluster. */
    static RedisConnections connect(String uri, List<String> clusterSeeds, Duration timeout) {
        return clusterSeeds.isEmpty() ? new SingleRedis(uri, timeout) : new ClusterRedis(clusterSeeds, timeout);
    }

    /** Commands: on a cluster, each is routed to the shard of its keys (a script's keys share one slot). */
    RedisClusterAsyncCommands<String, String> commands();

    /** The command that publishes to a room's channel, for the scripts that publish: PUBLISH or SPUBLISH. */
    String publishCommand();

    /**
     * Whether a master's last writes can be lost while Redis goes on without it: true on a cluster,
     * whose replicas take over from a dead master with what asynchronous replication had given them.
     * The single Redis is not replaced, only restarted (its AOF is its one copy).
     */
    boolean losesWritesOnFailover();

    CompletionStage<Long> publish(String channel, String message);

    /** Completes once messages on the channel reach the listener. */
    CompletionStage<Void> subscribe(String channel);

    CompletionStage<Void> unsubscribe(String channel);

    /** Set once, before the first subscription. */
    void listen(Listener listener);

    boolean isOpen();

    @Override
    void close();
}
