package dev.wslab.server.ws;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.client.RateLimit;
import dev.wslab.server.client.Wire;
import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.protocol.WebSocketFrames;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One WebSocket on its TCP connection once the handshake is done: the client's frames are read
 * ({@link FrameReader}) and the node's written ({@link Outbound}) by wslab itself, not by an
 * Undertow WebSocket channel, so that an idle socket holds only what it needs (BENCHMARKS.md, "What
 * an idle socket holds"). It also runs the close handshake: a close from the client is answered
 * and the TCP connection closed once the answer is out; a close from the node waits a few seconds
 * for the client's answer, then cuts.
 *
 * <p>Threads: reads, writes and closes run on the socket's I/O thread; {@link #close},
 * {@link #closeAndCut} and {@link #ping} may be called from anywhere and hand over to it.
 */
final class WebSocketConnection implements Wire, FrameReader.Frames, ChannelListener<ConduitStreamSourceChannel> {
    /** How the endpoint hears what came in; one for every socket. */
    interface Endpoint {
        void text(Client client, RateLimit publishes, String text);

        void binary(Client client);

        void refused(String error);

        void closed(Client client, int code);
    }

    /** A reader with full buffers cannot take the close frame either, so the TCP connection goes after a second. */
    private static final long HARD_CLOSE_AFTER_MS = 1000;
    /** How long a client has to answer the node's close frame. */
    private static final long CLOSE_ANSWER_MS = 5000;
    /** Reads of one socket per readiness event, so that one flooding client cannot hold its I/O thread. */
    private static final int READS_PER_EVENT = 4;

    private final StreamConnection stream;
    private final ByteBufferPool buffers;
    private final FrameReader reader;
    private final Outbound outbound;
    private final Endpoint endpoint;
    private final RateLimit publishes;
    private Client client;
    /** The first close code sent or received; 0 while there is none. */
    private volatile int closeCode;
    /** The reader stopped (a close came, or the client broke the protocol): no answer to a close will be read. */
    private boolean readingEnded;

    WebSocketConnection(StreamConnection stream, ByteBufferPool buffers, int maxMessageBytes, Endpoint endpoint, RateLimit publishes) {
        this.stream = stream;
        this.buffers = buffers;
        this.reader = new FrameReader(maxMessageBytes);
        this.outbound = Outbound.install(stream);
        this.endpoint = endpoint;
        this.publishes = publishes;
    }

    /** Starts reading for {@code client}, whose wire this is. */
    void start(Client client) {
        this.client = client;
        stream.setCloseListener(closed -> endpoint.closed(client, closeCode > 0 ? closeCode : CloseCodes.ABNORMAL));
        ConduitStreamSourceChannel source = stream.getSourceChannel();
        source.setReadListener(this);
        source.resumeReads();
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
        PooledByteBuffer pooled = buffers.allocate();
        try {
            ByteBuffer buffer = pooled.getBuffer();
            for (int i = 0; i < READS_PER_EVENT; i++) {
                buffer.clear();
                int n = source.read(buffer);
                if (n < 0) {
                    // The peer is gone without a close frame (or after one, which closed already).
                    IoUtils.safeClose(stream);
                    return;
                }
                if (n == 0) {
                    return;
                }
                buffer.flip();
                if (!reader.read(buffer, this)) {
                    readingEnded = true;
                    source.suspendReads();
                    return;
                }
            }
        } catch (IOException e) {
            IoUtils.safeClose(stream);
        } finally {
            pooled.close();
        }
    }

    // What the client sent.

    @Override
    public void text(String message) {
        endpoint.text(client, publishes, message);
    }

    @Override
    public void binary() {
        endpoint.binary(client);
    }

    @Override
    public void ping(ByteBuffer payload) {
        client.heard();
        client.reserveUnbounded();
        outbound.send(WebSocketFrames.pong(payload), client);
    }

    @Override
    public void pong() {
        client.heard();
    }

    /** The client's close: answered with its code, and the connection closed once the answer is out. */
    @Override
    public void closed(int code, String reason) {
        client.heard();
        readingEnded = true;
        if (closeCode == 0) {
            closeCode = code;
        }
        ByteBuffer answer = code == CloseCodes.NO_STATUS ? WebSocketFrames.closeWithoutCode() : WebSocketFrames.close(code, "");
        if (!outbound.sendClose(answer, client, this::cut)) {
            // The node's close went first and this is the answer to it.
            outbound.afterQueued(this::cut);
        }
    }

    @Override
    public void invalid(int code, String reason, String error) {
        endpoint.refused(error);
        client.closeUnresponsive(code, reason);
    }

    // The Wire: what the node sends.

    @Override
    public XnioIoThread ioThread() {
        return stream.getIoThread();
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public void write(Frame frame, Client connection) {
        outbound.send(frame.webSocketView(), connection);
    }

    /** The close frame follows every frame already handed to the socket, and nothing follows it. */
    @Override
    public void close(int code, String reason) {
        stream.getIoThread().execute(() -> sendClose(code, reason, CLOSE_ANSWER_MS));
    }

    @Override
    public void closeAndCut(int code, String reason) {
        stream.getIoThread().execute(() -> sendClose(code, reason, HARD_CLOSE_AFTER_MS));
    }

    @Override
    public void ping(Client connection) {
        stream.getIoThread().execute(() -> {
            connection.reserveUnbounded();
            outbound.send(WebSocketFrames.ping(), connection);
        });
    }

    private void sendClose(int code, String reason, long cutAfterMs) {
        if (closeCode == 0) {
            closeCode = code;
        }
        // With reading over, no answer will be read: the connection goes once the close frame is out.
        if (outbound.sendClose(WebSocketFrames.close(code, reason), client, readingEnded ? this::cut : () -> { })) {
            stream.getIoThread().executeAfter(this::cut, cutAfterMs, TimeUnit.MILLISECONDS);
        }
    }

    private void cut() {
        IoUtils.safeClose(stream);
    }
}
