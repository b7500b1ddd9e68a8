package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.redis.Script;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The node registry in Redis: a set of node ids and one expiring hash per node. Announcing reaps the
 * nodes whose hash expired, and with them their fields in every room's member counts (the rooms
 * {@link RedisMemberCounts} recorded per node): one Lua script, so no node sees half of it.
 */
public final class RedisClusterRegistry implements ClusterRegistry {
    private static final Script ANNOUNCE = Script.load("announce");
    private static final Script FORGET = Script.load("forget");
    private static final Script CLUSTER = Script.load("cluster");

    private final RedisKeys keys;
    private final StatefulRedisConnection<String, String> connection;

    public RedisClusterRegistry(RedisKeys keys, StatefulRedisConnection<String, String> connection) {
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo self, Duration ttl) {
        return ANNOUNCE.<Long>run(connection.async(), ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(self.node())},
                        self.node(), Long.toString(ttl.toMillis()), Long.toString(self.connections()),
                        Long.toString(self.startedAt()), self.draining() ? "1" : "0",
                        keys.nodePrefix(), keys.nodeRoomsSuffix(), keys.roomPrefix())
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        return CLUSTER.<List<String>>run(connection.async(), ScriptOutputType.MULTI, new String[] {keys.nodes()},
                        keys.nodePrefix())
                .thenApply(flat -> {
                    List<NodeInfo> nodes = new ArrayList<>();
                    for (int i = 0; i + 3 < flat.size(); i += 4) {
                        nodes.add(new NodeInfo(flat.get(i), Long.parseLong(flat.get(i + 1)),
                                Long.parseLong(flat.get(i + 2)), "1".equals(flat.get(i + 3))));
                    }
                    nodes.sort(java.util.Comparator.comparing(NodeInfo::node));
                    return nodes;
                });
    }

    @Override
    public CompletionStage<Void> forget(String id) {
        return FORGET.<Long>run(connection.async(), ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(id), keys.nodeRooms(id)}, id, keys.roomPrefix())
                .thenApply(ok -> null);
    }
}
