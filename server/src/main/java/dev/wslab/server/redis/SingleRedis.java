package dev.wslab.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * One Redis: two connections, one for commands and scripts, one for pub/sub (a subscribed
 * connection can issue nothing else). Lettuce reconnects on its own and re-subscribes the pub/sub
 * connection's channels; each confirmation goes to the listener, which reads what it missed.
 */
public final class SingleRedis implements RedisConnections {
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

    SingleRedis(String uri, Duration timeout) {
        this.resources = ClientSetup.resources();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(ClientSetup.timeouts(timeout))
                .socketOptions(ClientSetup.sockets(timeout))
                .build());
        try {
            this.commands = client.connect(StringCodec.UTF8);
            this.pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public RedisClusterAsyncCommands<String, String> commands() {
        return commands.async();
    }

    @Override
    public String publishCommand() {
        return "PUBLISH";
    }

    @Override
    public boolean losesWritesOnFailover() {
        return false;
    }

    @Override
    public CompletionStage<Long> publish(String channel, String message) {
        return commands.async().publish(channel, message);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return pubSub.async().subscribe(channel.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return pubSub.async().unsubscribe(channel.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void listen(Listener listener) {
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                listener.message(new String(channel, StandardCharsets.UTF_8), message);
            }

            @Override
            public void subscribed(byte[] channel, long count) {
                // Also when Lettuce subscribes again on a new connection: what was published while
                // the old one was down never reached it.
                listener.subscribed(new String(channel, StandardCharsets.UTF_8));
            }
        });
    }

    @Override
    public boolean isOpen() {
        return commands != null && commands.isOpen() && pubSub != null && pubSub.isOpen();
    }

    @Override
    public void close() {
        if (pubSub != null) {
            pubSub.close();
        }
        if (commands != null) {
            commands.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
