/**
 * The WebSocket adapter: the {@code /ws} handshake (admission, origin), and per socket a
 * {@link dev.wslab.server.client.Client} on a {@code WebSocketWire} whose text frames go to the
 * {@link dev.wslab.server.commands.Dispatcher}.
 *
 * <p>Thread-safety: frames are decoded on the socket's I/O thread; Undertow's frame queue takes one
 * sender at a time, which is why every write of a client goes through that thread ({@code Client}).
 */
package dev.wslab.server.ws;
