package dev.wslab.server.state;

import dev.wslab.server.redis.RedisKeys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/** What nodes share beside the bus, each part on its own guarantee: in Redis for a cluster, in memory for one node. */
public record SharedState(MemberCounts members, ClusterRegistry cluster, SessionDirectory sessions) {

    public static SharedState redis(String nodeId, RedisKeys keys, RedisClusterAsyncCommands<String, String> connection) {
        return new SharedState(new RedisMemberCounts(nodeId, keys, connection), new RedisClusterRegistry(keys, connection),
                new RedisSessionDirectory(keys, connection));
    }

    public static SharedState local() {
        return new SharedState(new LocalMemberCounts(), new LocalClusterRegistry(), new LocalSessionDirectory());
    }
}
