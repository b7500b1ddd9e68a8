/**
 * The cross-node bus: the {@link dev.wslab.server.broker.Broker} contract, its Redis pub/sub
 * implementation and the single-node in-memory one, the envelope that travels between nodes, and
 * what the bus numbers and keeps — each room's seq, counter and bounded history.
 *
 * <p>Thread-safety: brokers are thread-safe; the listener they are started with is called on the
 * bus's threads.
 */
package dev.wslab.server.broker;
