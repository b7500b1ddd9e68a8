package dev.wslab.server.ws;

import dev.wslab.server.client.Wire;
import dev.wslab.server.client.Client;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/** A client on a WebSocket. One callback object per socket: no allocation per frame written. */
final class WebSocketWire implements Wire, WebSocketCallback<Client> {
    private static final long HARD_CLOSE_AFTER_MS = 1000;

    private final WebSocketChannel channel;

    WebSocketWire(WebSocketChannel channel) {
        this.channel = channel;
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
    public void write(ByteBuffer frame, Client connection) {
        WebSockets.sendText(frame, channel, this, connection);
    }

    @Override
    public void close(int code, String reason) {
        WebSockets.sendClose(code, reason, channel, null);
    }

    /** A reader with full buffers cannot take the close frame either, so the TCP connection goes after a second. */
    @Override
    public void closeAndCut(int code, String reason) {
        channel.setCloseCode(code);
        channel.setCloseReason(reason);
        WebSockets.sendClose(code, reason, channel, null);
        channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), HARD_CLOSE_AFTER_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ping(Client connection) {
        channel.getIoThread().execute(() -> WebSockets.sendPing(ByteBuffer.allocate(0), channel, null));
    }

    @Override
    public void complete(WebSocketChannel ch, Client connection) {
        connection.written(true);
    }

    @Override
    public void onError(WebSocketChannel ch, Client connection, Throwable throwable) {
        connection.written(false);
    }
}
