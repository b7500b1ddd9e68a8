package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.redis.Script;
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
    private static final Script MEMBER_DELTA = Script.load("member_delta", "sum_members");
    private static final Script MEMBERS = Script.load("members", "sum_members");
    private static final Script ANNOUNCE = Script.load("announce");
    private static final Script FORGET = Script.load("forget");
    private static final Script CLUSTER = Script.load("cluster");

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
        return MEMBERS.run(commands(), ScriptOutputType.INTEGER, new String[] {keys.members(room)});
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
        return MEMBER_DELTA.run(commands(), ScriptOutputType.INTEGER,
                new String[] {keys.members(room), nodeRooms(nodeId)}, nodeId, Integer.toString(delta), room);
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo self, Duration ttl) {
        return ANNOUNCE.<Long>run(commands(), ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(self.node())},
                        self.node(), Long.toString(ttl.toMillis()), Long.toString(self.connections()),
                        Long.toString(self.startedAt()), self.draining() ? "1" : "0",
                        keys.nodePrefix(), keys.nodeRoomsSuffix(), keys.prefix() + ":room:")
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        return CLUSTER.<List<String>>run(commands(), ScriptOutputType.MULTI, new String[] {keys.nodes()},
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
        return FORGET.<Long>run(commands(), ScriptOutputType.INTEGER,
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
