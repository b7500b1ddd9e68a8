package dev.wslab.server.client;

import org.xnio.XnioIoThread;

/**
 * How frames reach one client: a WebSocket ({@code ws.WebSocketConnection}), or an HTTP session's event
 * stream or long polls ({@code transport.HttpWire}). {@link Client} keeps what a client is — its
 * identity, the outbound-queue limit, liveness — the hub keeps its rooms and resume bookkeeping, and
 * the wire only moves the bytes.
 */
public interface Wire {
    /** The thread that writes this client's frames; writes run there, in order. */
    XnioIoThread ioThread();

    boolean isOpen();

    /**
     * Writes one frame, on {@link #ioThread()}; calls {@code connection.written} once it is out or
     * failed. The frame may be shared with other clients' writes: it is not changed.
     */
    void write(Frame frame, Client connection);

    /** Says goodbye with a close code and reason; the client may still be reading. */
    void close(int code, String reason);

    /** Says goodbye, then cuts the transport shortly after: for a peer that is gone or cannot read. */
    void closeAndCut(int code, String reason);

    /** Proves the client is still there: a ping it answers, or a stream or poll it holds open. */
    void ping(Client connection);
}
