package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Room and cluster state in Redis. Each multi-key step is one Lua script, so concurrent nodes never
 * see half an update and each step is a single round trip.
 */
public final class RedisRoomState implements RoomState {
    // Sums the members hash: one field per node, so a dead node's count can be dropped whole.
    private static final String SUM = """
            local function sum(key)
              local total = 0
              for _, v in ipairs(redis.call('HVALS', key)) do total = total + tonumber(v) end
              return total
            end
            """;

    private static final String MEMBER_DELTA = SUM + """
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('SADD', KEYS[2], ARGV[3]) end
            return sum(KEYS[1])
            """;

    private static final String MEMBERS = SUM + """
            return sum(KEYS[1])
            """;

    // KEYS: nodes set, this node's hash. ARGV: node id, ttl ms, connections, startedAt, draining, prefix
    // of node keys, suffix of node-rooms sets, prefix of rooms. Reaps nodes whose hash has expired.
    private static final String ANNOUNCE = """
            redis.call('HSET', KEYS[2], 'connections', ARGV[3], 'startedAt', ARGV[4], 'draining', ARGV[5])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            redis.call('SADD', KEYS[1], ARGV[1])
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', ARGV[6] .. id) == 0 then
                local rooms = ARGV[6] .. id .. ARGV[7]
                for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
                  redis.call('HDEL', ARGV[8] .. room .. ':members', id)
                end
                redis.call('DEL', rooms)
                redis.call('SREM', KEYS[1], id)
              end
            end
            return 1
            """;

    private static final String FORGET = """
            for _, room in ipairs(redis.call('SMEMBERS', KEYS[3])) do
              redis.call('HDEL', ARGV[2] .. room .. ':members', ARGV[1])
            end
            redis.call('DEL', KEYS[2], KEYS[3])
            redis.call('SREM', KEYS[1], ARGV[1])
            return 1
            """;

    private static final String CLUSTER = """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local h = redis.call('HMGET', ARGV[1] .. id, 'connections', 'startedAt', 'draining')
              if h[1] then
                table.insert(out, id); table.insert(out, h[1]); table.insert(out, h[2]); table.insert(out, h[3] or '0')
              end
            end
            return out
            """;

    private final String nodeId;
    private final RedisKeys keys;
    private final StatefulRedisConnection<String, String> connection;

    public RedisRoomState(String nodeId, RedisKeys keys, StatefulRedisConnection<String, String> connection) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public CompletionStage<Long> members(String room) {
        return commands().eval(MEMBERS, ScriptOutputType.INTEGER, keys.members(room));
    }

    @Override
    public CompletionStage<Long> memberJoined(String room) {
        return memberDelta(room, 1);
    }

    @Override
    public CompletionStage<Long> memberLeft(String room) {
        return memberDelta(room, -1);
    }

    private CompletionStage<Long> memberDelta(String room, int delta) {
        return commands().eval(MEMBER_DELTA, ScriptOutputType.INTEGER,
                new String[] {keys.members(room), nodeRooms(nodeId)}, nodeId, Integer.toString(delta), room);
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo self, Duration ttl) {
        return commands().<Long>eval(ANNOUNCE, ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(self.node())},
                        self.node(), Long.toString(ttl.toMillis()), Long.toString(self.connections()),
                        Long.toString(self.startedAt()), self.draining() ? "1" : "0",
                        keys.nodePrefix(), keys.nodeRoomsSuffix(), keys.prefix() + ":room:")
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        return commands().<List<String>>eval(CLUSTER, ScriptOutputType.MULTI, new String[] {keys.nodes()},
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
        return commands().<Long>eval(FORGET, ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(id), nodeRooms(id)}, id, keys.prefix() + ":room:")
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Void> sessionOwned(String session, String address, Duration ttl) {
        return commands().set(keys.session(session), address, io.lettuce.core.SetArgs.Builder.px(ttl.toMillis()))
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<java.util.Optional<String>> sessionOwner(String session) {
        return commands().get(keys.session(session)).thenApply(java.util.Optional::ofNullable);
    }

    @Override
    public CompletionStage<Void> sessionEnded(String session) {
        return commands().del(keys.session(session)).thenApply(n -> null);
    }

    private String nodeRooms(String id) {
        return keys.node(id) + keys.nodeRoomsSuffix();
    }

    private RedisAsyncCommands<String, String> commands() {
        return connection.async();
    }
}
