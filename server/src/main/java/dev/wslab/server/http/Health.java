package dev.wslab.server.http;

/** Whether the node should receive new clients, and if not, why: the body of {@code /health}. */
public record Health(boolean ok, String status, String node, String broker) {}
