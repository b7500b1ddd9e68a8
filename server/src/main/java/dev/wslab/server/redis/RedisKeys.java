package dev.wslab.server.redis;

/**
 * Every Redis key and channel name, under one prefix so that several labs (or tests) can share a
 * Redis without seeing each other.
 *
 * <p>The names are laid out for Redis Cluster, and the same in single-Redis mode: every key and the
 * channel of one room carry the room as their hash tag ({@code <prefix>:room:{<room>}…}), so they
 * share one slot and the room's scripts run on one shard; the node-level keys (heartbeats, the node
 * set, each node's room list) carry the prefix as theirs ({@code {<prefix>}:node:…}), so the
 * registry's scripts see them together. Session keys are single-key and go wherever they hash.
 * Room names cannot hold braces (docs/PROTOCOL.md), so the tag is always the whole room name.
 */
public record RedisKeys(String prefix) {

    public RedisKeys {
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("the key prefix cannot hold { or }: they would change the hash tags");
        }
    }

    /** The room's channel; with {@code SPUBLISH} it is a shard channel in the room's slot. */
    public String channel(String room) {
        return roomPrefix() + room + "}";
    }

    /** The room of a channel name, or null when the channel is not one of ours. */
    public String roomOfChannel(String channel) {
        String head = roomPrefix();
        return channel.startsWith(head) && channel.endsWith("}") && channel.length() > head.length() + 1
                ? channel.substring(head.length(), channel.length() - 1) : null;
    }

    public String seq(String room) {
        return channel(room) + ":seq";
    }

    /** The Redis process (run_id) that numbered the room's last message: the failover fence (lua/publish_numbered.lua). */
    public String seqFence(String room) {
        return channel(room) + ":numberedby";
    }

    public String counter(String room) {
        return channel(room) + ":counter";
    }

    /** Stream of the room's recent messages, entry id {@code <seq>-0}, field {@code f} = the frame. */
    public String history(String room) {
        return channel(room) + ":history";
    }

    /** Hash: node id → how many of the room's members are connected to that node. */
    public String members(String room) {
        return channel(room) + ":members";
    }

    /** The address of the node serving an HTTP session (shared sessions). */
    public String session(String id) {
        return prefix + ":session:" + id;
    }

    /** Set of node ids that have announced themselves (live or not yet reaped). */
    public String nodes() {
        return nodeLevel() + ":nodes";
    }

    /** What each node's hash is named after: the registry's scripts build node keys from it. */
    public String nodePrefix() {
        return nodeLevel() + ":node:";
    }

    /** Hash with the node's heartbeat; expires when the node stops beating. */
    public String node(String nodeId) {
        return nodePrefix() + nodeId;
    }

    /** Set of rooms in whose members hash the node has a field, so a dead node's fields can be reaped. */
    public String nodeRooms(String nodeId) {
        return node(nodeId) + ":rooms";
    }

    private String nodeLevel() {
        return "{" + prefix + "}";
    }

    private String roomPrefix() {
        return prefix + ":room:{";
    }
}
