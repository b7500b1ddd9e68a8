package dev.wslab.server.client;

import dev.wslab.server.protocol.WebSocketFrames;
import java.nio.ByteBuffer;

/**
 * One event on its way to one client or many: its payload (the JSON text, as an HTTP session sends
 * it) and, made on first use, its whole WebSocket frame. A broadcast makes one Frame for all its
 * recipients, so the WebSocket framing is paid once per message, not once per socket. Immutable
 * once made; the WebSocket form is cached without a lock (two threads making it at once make the
 * same bytes), and published through a volatile field, a plain load on the paths that read it.
 */
public final class Frame {
    private final ByteBuffer payload;
    private volatile ByteBuffer webSocket;
    /** The WebSocket frame's view for the one thread that writes this Frame; made on first use. */
    private ByteBuffer view;

    /** {@code payload} is not copied: it must not change afterwards. */
    public Frame(ByteBuffer payload) {
        this.payload = payload.asReadOnlyBuffer();
    }

    private Frame(ByteBuffer payload, ByteBuffer webSocket) {
        this.payload = payload;
        this.webSocket = webSocket;
    }

    /**
     * The same event for the writes of one thread (a broadcast's recipients on one I/O thread): the
     * same bytes, and a {@link #webSocketView} of its own, so that writing it to many sockets takes
     * no buffer per socket.
     */
    public Frame forOneThread() {
        return new Frame(payload, webSocket());
    }

    public static Frame of(byte[] payload) {
        return new Frame(ByteBuffer.wrap(payload));
    }

    /** A view of the payload of one's own: its position is the caller's to move. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /**
     * The WebSocket frame from its first byte, in a buffer that is this Frame's alone: for the one
     * thread that writes it (a Frame from {@link #forOneThread}, or one made for one client). A write
     * moves its position; the next call starts it again, so whoever must keep the rest for later
     * keeps a {@code duplicate()}.
     */
    public ByteBuffer webSocketView() {
        if (view == null) {
            view = webSocket().duplicate();
        } else {
            view.position(0);
        }
        return view;
    }

    /** The RFC 6455 text frame, header and payload, shared by every Frame of this event. */
    private ByteBuffer webSocket() {
        ByteBuffer framed = webSocket;
        if (framed == null) {
            framed = WebSocketFrames.text(payload);
            webSocket = framed;
        }
        return framed;
    }
}
