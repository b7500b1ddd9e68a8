package dev.wslab.server.redis;

/**
 * Every Redis key and channel name, under one prefix so that several labs (or tests) can share a
 * Redis without seeing each other.
 */
public record RedisKeys(String prefix) {

    public String channel(String room) {
        return roomPrefix() + room;
    }

    /** The room of a channel name, or null when the channel is not one of ours. */
    public String roomOfChannel(String channel) {
        String head = roomPrefix();
        return channel.startsWith(head) ? channel.substring(head.length()) : null;
    }

    public String seq(String room) {
        return roomPrefix() + room + ":seq";
    }

    public String counter(String room) {
        return roomPrefix() + room + ":counter";
    }

    /** Stream of the room's recent messages, entry id {@code <seq>-0}, field {@code f} = the frame. */
    public String history(String room) {
        return roomPrefix() + room + ":history";
    }

    /** Hash: node id → how many of the room's members are connected to that node. */
    public String members(String room) {
        return roomPrefix() + room + ":members";
    }

    /** The address of the node serving an HTTP session (shared sessions). */
    public String session(String id) {
        return prefix + ":session:" + id;
    }

    /** Set of node ids that have announced themselves (live or not yet reaped). */
    public String nodes() {
        return prefix + ":nodes";
    }

    /** Hash with the node's heartbeat; expires when the node stops beating. */
    public String nodePrefix() {
        return prefix + ":node:";
    }

    public String node(String nodeId) {
        return nodePrefix() + nodeId;
    }

    /** Set of rooms in whose members hash the node has a field, so a dead node's fields can be reaped. */
    public String nodeRoomsSuffix() {
        return ":rooms";
    }

    public String nodeRooms(String nodeId) {
        return node(nodeId) + nodeRoomsSuffix();
    }

    /** What every room key starts with: the scripts that reap a node build room keys from it. */
    public String roomPrefix() {
        return prefix + ":room:";
    }
}
