/**
 * What nodes share beside the bus: room member counts (kept per node, so a dead node's count can be
 * reaped), the cluster's heartbeats, and the directory of HTTP sessions. Redis for a cluster, memory
 * for one node. The seq, counter and history belong to the bus ({@code broker}).
 *
 * <p>Thread-safety: every operation is a single atomic step (a Lua script in Redis) returning a stage.
 */
package dev.wslab.server.state;
