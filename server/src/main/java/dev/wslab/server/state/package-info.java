/**
 * State every node shares: room seq, counter and member counts, and the cluster's heartbeats.
 * Redis for a cluster, memory for one node.
 *
 * <p>Thread-safety: every operation is a single atomic step (a Lua script in Redis) returning a stage.
 */
package dev.wslab.server.state;
