package dev.wslab.server.redis;

import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What both kinds of Redis client are made with: the node's threads for Lettuce, and its timeouts. */
final class ClientSetup {
    private ClientSetup() {
    }

    /** Two I/O and two computation threads, and a reconnect that starts at 50 ms and backs off to 2 s. */
    static ClientResources resources() {
        return ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** A command not answered within {@code timeout} fails: the client gets an error, never silence. */
    static TimeoutOptions timeouts(Duration timeout) {
        return TimeoutOptions.enabled(timeout);
    }

    static SocketOptions sockets(Duration timeout) {
        return SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
    }
}
