/**
 * How clients are spread over the nodes and moved between them: the weight a node serves to
 * HAProxy's {@code agent-check} ({@link LoadAgent}), the cluster's spread as every node sees it
 * ({@link ClusterView}), the active rebalancer that asks clients of an overloaded node to move
 * ({@link Rebalancer}), and the ways a drain closes sockets ({@link Drainer}).
 */
package dev.wslab.server.balance;
