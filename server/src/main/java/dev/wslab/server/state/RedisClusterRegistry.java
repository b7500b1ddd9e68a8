package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.redis.Script;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The node registry in Redis: a set of node ids and one expiring hash per node, all in one slot
 * ({@link RedisKeys}). Announcing also reaps the nodes whose hash expired, and with them their
 * fields in every room's member counts (the rooms {@link RedisMemberCounts} recorded per node).
 *
 * <p>Those counts are the rooms' own keys, in the rooms' slots, so reaping is not one script: the
 * announce script names the dead and their rooms, each room's field is dropped on its own, and only
 * then is the node forgotten — by a script that leaves it be if it beat again meanwhile. A node that
 * dies half-way through leaves the dead node still listed, and the next announce by anyone finishes.
 */
public final class RedisClusterRegistry implements ClusterRegistry {
    private static final Script ANNOUNCE = Script.load("announce");
    private static final Script FORGET_NODE = Script.load("forget_node");
    private static final Script CLUSTER = Script.load("cluster");

    private final RedisKeys keys;
    private final RedisClusterAsyncCommands<String, String> connection;

    public RedisClusterRegistry(RedisKeys keys, RedisClusterAsyncCommands<String, String> connection) {
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo self, Duration ttl) {
        return ANNOUNCE.<List<String>>run(connection, ScriptOutputType.MULTI,
                        new String[] {keys.nodes(), keys.node(self.node())},
                        self.node(), Long.toString(ttl.toMillis()), Long.toString(self.connections()),
                        Long.toString(self.startedAt()), self.draining() ? "1" : "0", keys.nodePrefix())
                .thenCompose(dead -> {
                    List<CompletableFuture<Void>> reaped = new ArrayList<>();
                    for (int i = 0; i + 1 < dead.size(); ) {
                        String id = dead.get(i);
                        int rooms = Integer.parseInt(dead.get(i + 1));
                        reaped.add(drop(id, dead.subList(i + 2, i + 2 + rooms), true).toCompletableFuture());
                        i += 2 + rooms;
                    }
                    return CompletableFuture.allOf(reaped.toArray(CompletableFuture[]::new));
                });
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        return CLUSTER.<List<String>>run(connection, ScriptOutputType.MULTI, new String[] {keys.nodes()},
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
        return connection.smembers(keys.nodeRooms(id)).thenCompose(rooms -> drop(id, List.copyOf(rooms), false));
    }

    /** The node's field out of each room's member count, then the node itself out of the registry. */
    private CompletionStage<Void> drop(String id, List<String> rooms, boolean onlyIfDead) {
        CompletableFuture<?>[] fields = rooms.stream()
                .map(room -> connection.hdel(keys.members(room), id).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(fields).thenCompose(done -> FORGET_NODE.<Long>run(connection, ScriptOutputType.INTEGER,
                        new String[] {keys.nodes(), keys.node(id), keys.nodeRooms(id)}, id, onlyIfDead ? "1" : "0"))
                .thenApply(forgotten -> null);
    }
}
