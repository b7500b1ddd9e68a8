package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The session directory in Redis: one key per session holding its node's address, with a ttl. */
public final class RedisSessionDirectory implements SessionDirectory {
    private final RedisKeys keys;
    private final RedisClusterAsyncCommands<String, String> connection;

    public RedisSessionDirectory(RedisKeys keys, RedisClusterAsyncCommands<String, String> connection) {
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public CompletionStage<Void> sessionOwned(String session, String address, Duration ttl) {
        return connection.set(keys.session(session), address, SetArgs.Builder.px(ttl.toMillis())).thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Optional<String>> sessionOwner(String session) {
        return connection.get(keys.session(session)).thenApply(Optional::ofNullable);
    }

    @Override
    public CompletionStage<Void> sessionEnded(String session) {
        return connection.del(keys.session(session)).thenApply(n -> null);
    }
}
