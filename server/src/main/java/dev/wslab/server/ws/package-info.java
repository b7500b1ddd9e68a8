/**
 * The WebSocket edge: the {@code /ws} handshake, one {@link dev.wslab.server.ws.Connection} per socket
 * with a bounded outbound queue, frame decoding on the socket's I/O thread.
 *
 * <p>Thread-safety: a connection is used from its I/O thread and from the bus's threads at once;
 * its state is atomics and concurrent collections, and Undertow's send methods are thread-safe.
 */
package dev.wslab.server.ws;
