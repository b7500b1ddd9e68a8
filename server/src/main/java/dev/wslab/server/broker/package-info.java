/**
 * The cross-node bus: the {@link dev.wslab.server.broker.Broker} contract, its Redis pub/sub
 * implementation and the single-node in-memory one, and the envelope that travels between nodes.
 *
 * <p>Thread-safety: brokers are thread-safe; listeners are called on the bus's threads.
 */
package dev.wslab.server.broker;
