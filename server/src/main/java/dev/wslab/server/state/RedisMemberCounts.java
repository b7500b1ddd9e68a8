package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.redis.Script;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * Member counts in Redis: one hash per room, one field per node, and per node the set of rooms it
 * has a field in — what {@link RedisClusterRegistry} reads to drop a dead node's fields. A count's
 * change is one Lua script on the room's slot: concurrent nodes never see half an update.
 */
public final class RedisMemberCounts implements MemberCounts {
    private static final Script MEMBER_DELTA = Script.load("member_delta", "sum_members");
    private static final Script MEMBERS = Script.load("members", "sum_members");

    private final String nodeId;
    private final RedisKeys keys;
    private final RedisClusterAsyncCommands<String, String> connection;

    public RedisMemberCounts(String nodeId, RedisKeys keys, RedisClusterAsyncCommands<String, String> connection) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public CompletionStage<Long> members(String room) {
        return MEMBERS.run(connection, ScriptOutputType.INTEGER, new String[] {keys.members(room)});
    }

    @Override
    public CompletionStage<Long> memberJoined(String room) {
        return delta(room, 1);
    }

    @Override
    public CompletionStage<Long> memberLeft(String room) {
        return delta(room, -1);
    }

    /**
     * A join first lists the room under this node (another slot than the room's), so that whenever
     * the node has a field in the room's count, the reaper can find it.
     */
    private CompletionStage<Long> delta(String room, int delta) {
        CompletionStage<?> listed = delta > 0 ? connection.sadd(keys.nodeRooms(nodeId), room)
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        return listed.thenCompose(ok -> MEMBER_DELTA.<Long>run(connection, ScriptOutputType.INTEGER,
                new String[] {keys.members(room)}, nodeId, Integer.toString(delta)));
    }
}
