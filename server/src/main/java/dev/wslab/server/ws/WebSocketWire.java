package dev.wslab.server.ws;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.client.Wire;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * A client on a WebSocket. Data frames go out pre-framed through the socket's {@link Outbound};
 * control frames (ping, close) through Undertow, whose close handshake stays in charge. Both run on
 * the socket's I/O thread, so that the Outbound is only ever entered from there.
 */
final class WebSocketWire implements Wire {
    private static final long HARD_CLOSE_AFTER_MS = 1000;

    private final WebSocketChannel channel;
    private final Outbound outbound;

    WebSocketWire(WebSocketChannel channel, Outbound outbound) {
        this.channel = channel;
        this.outbound = outbound;
    }

    @Override
    public XnioIoThread ioThread() {
        return channel.getIoThread();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void write(Frame frame, Client connection) {
        outbound.send(frame.webSocketView(), connection);
    }

    /** The close frame follows every frame already handed to the socket, and nothing follows it. */
    @Override
    public void close(int code, String reason) {
        channel.getIoThread().execute(() -> outbound.afterQueued(() -> WebSockets.sendClose(code, reason, channel, null)));
    }

    /** A reader with full buffers cannot take the close frame either, so the TCP connection goes after a second. */
    @Override
    public void closeAndCut(int code, String reason) {
        channel.setCloseCode(code);
        channel.setCloseReason(reason);
        channel.getIoThread().execute(() -> {
            outbound.afterQueued(() -> WebSockets.sendClose(code, reason, channel, null));
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), HARD_CLOSE_AFTER_MS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void ping(Client connection) {
        channel.getIoThread().execute(() -> WebSockets.sendPing(ByteBuffer.allocate(0), channel, null));
    }
}
