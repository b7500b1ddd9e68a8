package dev.wslab.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster: commands routed by slot, and sharded pub/sub — each room's channel subscribed
 * ({@code SSUBSCRIBE}) on the master that owns its slot, and published to with {@code SPUBLISH}, so
 * a message crosses one shard instead of every node of the cluster.
 *
 * <p>Where each channel is subscribed is this class's own business, not Lettuce's: Lettuce does not
 * move a shard channel's subscription when its slot moves (a failover, a resharding, a shard
 * removed: redis/lettuce#3213), and a node connection it keeps for a dead master re-subscribes on
 * that node when it comes back as a replica. So every channel wanted is kept with the node it is
 * subscribed on; whenever the topology changes — and once a second, because Lettuce announces a
 * change before it applies it (redis/lettuce#2860) — each channel whose slot has another master now
 * is subscribed there and let go of on the old one. Messages are taken only from the node a channel
 * is subscribed on: a stale subscription elsewhere cannot deliver twice.
 */
public final class ClusterRedis implements RedisConnections {
    private static final System.Logger LOG = System.getLogger(ClusterRedis.class.getName());
    private static final Duration AUDIT_EVERY = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> commands;
    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> pubSub;
    /** Channel → the id of the node it is subscribed on (or being subscribed on). */
    private final Map<String, String> subscribedOn = new ConcurrentHashMap<>();
    private final Set<String> moving = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> audit;
    private volatile Listener listener = (channel, message) -> { };

    ClusterRedis(List<String> seeds, Duration timeout) {
        this.resources = ClientSetup.resources();
        List<RedisURI> uris = seeds.stream().map(seed -> {
            RedisURI uri = RedisURI.create("redis://" + seed.trim());
            uri.setTimeout(timeout);
            return uri;
        }).toList();
        this.client = RedisClusterClient.create(resources, uris);
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(AUDIT_EVERY)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .build())
                .autoReconnect(true)
                // Not REJECT_COMMANDS as on a single Redis: Lettuce opens each shard's connection on
                // its first command, which that option would fail. A command to a shard that is down
                // waits for it, at most the timeout, and then fails: still an error, never silence.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(ClientSetup.timeouts(timeout))
                .socketOptions(ClientSetup.sockets(timeout))
                .build());
        StatefulRedisClusterConnection<String, String> c = null;
        StatefulRedisClusterPubSubConnection<byte[], byte[]> p = null;
        try {
            c = client.connect(StringCodec.UTF8);
            p = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        this.commands = c;
        this.pubSub = p;
        pubSub.setNodeMessagePropagation(true);
        pubSub.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
                String name = new String(channel, StandardCharsets.UTF_8);
                if (node != null && node.getNodeId().equals(subscribedOn.get(name))) {
                    listener.message(name, message);
                }
            }

            @Override
            public void ssubscribed(RedisClusterNode node, byte[] channel, long count) {
                // Moved to a new master, or subscribed again on a reconnected one: what was published
                // meanwhile did not come through here.
                String name = new String(channel, StandardCharsets.UTF_8);
                if (node != null && node.getNodeId().equals(subscribedOn.get(name))) {
                    listener.subscribed(name);
                }
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
                // The server let go of it (its slot moved away): find its new owner now.
                resources.eventExecutorGroup().execute(ClusterRedis.this::moveSubscriptions);
            }
        });
        resources.eventBus().get().filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(e -> resources.eventExecutorGroup().schedule(this::moveSubscriptions, 200, TimeUnit.MILLISECONDS));
        this.audit = resources.eventExecutorGroup().scheduleAtFixedRate(this::moveSubscriptions,
                AUDIT_EVERY.toMillis(), AUDIT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public RedisClusterAsyncCommands<String, String> commands() {
        return commands.async();
    }

    @Override
    public String publishCommand() {
        return "SPUBLISH";
    }

    @Override
    public boolean losesWritesOnFailover() {
        return true;
    }

    @Override
    public CompletionStage<Long> publish(String channel, String message) {
        return commands.async().spublish(channel, message);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        RedisClusterNode owner = owner(channel);
        if (owner == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no master owns the slot of " + channel));
        }
        subscribedOn.put(channel, owner.getNodeId());
        return subscribeOn(owner.getNodeId(), channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        String node = subscribedOn.remove(channel);
        return node == null ? CompletableFuture.completedFuture(null) : unsubscribeOn(node, channel);
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public boolean isOpen() {
        return commands.isOpen() && pubSub.isOpen();
    }

    /** The channels whose slot another master owns now go there; the old node lets go if it can. */
    private void moveSubscriptions() {
        for (Map.Entry<String, String> wanted : subscribedOn.entrySet()) {
            String channel = wanted.getKey();
            RedisClusterNode owner = owner(channel);
            if (owner == null || owner.getNodeId().equals(wanted.getValue()) || !moving.add(channel)) {
                continue;
            }
            String old = wanted.getValue();
            if (!subscribedOn.replace(channel, old, owner.getNodeId())) {
                moving.remove(channel);
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "event=shard_channel_moved channel=" + channel + " from=" + old + " to=" + owner.getNodeId());
            subscribeOn(owner.getNodeId(), channel).whenComplete((ok, error) -> {
                moving.remove(channel);
                if (error != null) {
                    // Tried again on the next audit: the owner is still not the one it is recorded on.
                    subscribedOn.replace(channel, owner.getNodeId(), old);
                }
            });
            unsubscribeOn(old, channel);
        }
    }

    private RedisClusterNode owner(String channel) {
        return client.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
    }

    private CompletionStage<Void> subscribeOn(String node, String channel) {
        try {
            return pubSub.getConnectionAsync(node).thenCompose(c -> c.async().ssubscribe(bytes(channel)));
        } catch (RuntimeException notInTheCluster) {
            return CompletableFuture.failedFuture(notInTheCluster);
        }
    }

    /** Best effort: a node that is gone has let go already. */
    private CompletionStage<Void> unsubscribeOn(String node, String channel) {
        try {
            return pubSub.getConnectionAsync(node).thenCompose(c -> c.async().sunsubscribe(bytes(channel)))
                    .exceptionally(gone -> null);
        } catch (RuntimeException gone) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static byte[] bytes(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        audit.cancel(false);
        pubSub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
