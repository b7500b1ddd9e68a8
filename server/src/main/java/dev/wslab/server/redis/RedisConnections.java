package dev.wslab.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;

/**
 * The node's two Redis connections: one for commands and scripts, one for pub/sub (a subscribed
 * connection can issue nothing else). Payloads arrive as bytes so a received frame goes to sockets
 * without being decoded.
 *
 * <p>Commands are rejected, not queued, while disconnected: a publish during an outage must fail
 * visibly. Lettuce reconnects on its own and re-subscribes the pub/sub connection's channels.
 */
public final class RedisConnections implements AutoCloseable {
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

    public RedisConnections(String uri, Duration timeout) {
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        try {
            this.commands = client.connect(StringCodec.UTF8);
            this.pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public StatefulRedisConnection<String, String> commands() {
        return commands;
    }

    public StatefulRedisPubSubConnection<byte[], byte[]> pubSub() {
        return pubSub;
    }

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
