package dev.wslab.server.state;

/** One node's heartbeat: what {@code GET /api/cluster} lists. */
public record NodeInfo(String node, long connections, long startedAt, boolean draining) {}
