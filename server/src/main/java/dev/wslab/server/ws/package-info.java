/**
 * The WebSocket adapter: the {@code /ws} handshake (admission, origin), and per socket a
 * {@link dev.wslab.server.client.Client} on a {@code WebSocketConnection} whose text frames go to the
 * {@link dev.wslab.server.commands.Dispatcher}.
 *
 * <p>After the handshake (Undertow's) the frames are wslab's own, read ({@code FrameReader}) and
 * written ({@code Outbound}) on the upgraded TCP connection: no Undertow WebSocket channel, and the
 * HTTP connection let go of ({@code HttpRelease}), which is most of what an idle socket held.
 *
 * <p>Thread-safety: frames are read and written on the socket's I/O thread only, which is why every
 * write of a client goes through that thread ({@code Client}).
 */
package dev.wslab.server.ws;
