package dev.wslab.server.guard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Sits under Undertow's HTTP parser on one accepted socket and watches the request head: when its
 * first byte came, how many bytes and lines it has. Undertow's own limits close such a socket
 * without a word (an oversized head) or are not counted anywhere (a slow one); this answers 431 or
 * 408 with a reason, counts it, and lets the socket linger a moment so the client reads the answer
 * rather than a reset. Once a request is being served, or the socket is a WebSocket, reads pass
 * through with one branch.
 *
 * <p>Threads: {@link #read} and {@link #reject} run on the socket's I/O thread; the guard's sweeper
 * only reads {@link #phase} and the times, and hands a rejection to the I/O thread.
 */
final class HeadConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    enum Phase {
        /** Between requests: nothing of the next one has come (Undertow's idle timeout governs). */
        IDLE,
        /** Part of a request head has come: the parse timeout runs. */
        HEAD,
        /** The head is complete and with Undertow's parser: next comes a handler, or Undertow's 400. */
        PARSED,
        /** A request is being served, or the socket was upgraded: nothing to watch. */
        PASS,
        /** Answered 408/431; reads are discarded until the peer closes or the linger ends. */
        REJECTED
    }

    private static final byte[] BAD_REQUEST = "HTTP/1.1 400".getBytes(StandardCharsets.US_ASCII);

    private final StreamConnection connection;
    private final StreamSinkConduit rawSink;
    private final HeadGuard guard;
    private volatile Phase phase = Phase.IDLE;
    private volatile long headSince;
    private volatile long rejectedAt;
    private int headBytes;
    private int lines;
    private int lineLength;

    HeadConduit(StreamConnection connection, HeadGuard guard) {
        super(connection.getSourceChannel().getConduit());
        this.connection = connection;
        // The socket's own sink, before Undertow wraps it: a rejection is written below HTTP framing.
        this.rawSink = connection.getSinkChannel().getConduit();
        this.guard = guard;
        connection.getSinkChannel().setConduit(new Answers(rawSink));
    }

    /**
     * Undertow answering "400" while a head is still being read is its answer to a head it could not
     * parse: counted here, since Undertow counts nothing. Only a write that starts with the status
     * line counts; the tail of the previous response still being flushed does not.
     */
    private final class Answers extends AbstractStreamSinkConduit<StreamSinkConduit> {
        Answers(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if ((phase == Phase.HEAD || phase == Phase.PARSED) && isBadRequest(src)) {
                malformed();
            }
            return next.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
            if ((phase == Phase.HEAD || phase == Phase.PARSED) && len > 0 && isBadRequest(srcs[offs])) {
                malformed();
            }
            return next.write(srcs, offs, len);
        }
    }

    private static boolean isBadRequest(ByteBuffer src) {
        if (src.remaining() < BAD_REQUEST.length) {
            return false;
        }
        for (int i = 0; i < BAD_REQUEST.length; i++) {
            if (src.get(src.position() + i) != BAD_REQUEST[i]) {
                return false;
            }
        }
        return true;
    }

    private void malformed() {
        phase = Phase.PASS;
        guard.unwatch(this);
        guard.refused(HeadGuard.MALFORMED);
    }

    Phase phase() {
        return phase;
    }

    long headSince() {
        return headSince;
    }

    long rejectedAt() {
        return rejectedAt;
    }

    StreamConnection connection() {
        return connection;
    }

    /** The request reached a handler: stop watching until it completes. */
    void serving() {
        phase = Phase.PASS;
        guard.unwatch(this);
    }

    /** The socket was upgraded: this conduit and its answering sink leave the socket's read and write chains. */
    void detach() {
        if (connection.getSourceChannel().getConduit() == this) {
            connection.getSourceChannel().setConduit(next);
        }
        if (connection.getSinkChannel().getConduit() instanceof Answers) {
            connection.getSinkChannel().setConduit(rawSink);
        }
    }

    /** The exchange completed: a kept-alive socket waits for its next head, an upgraded one is left alone. */
    void completed(boolean keptAlive) {
        if (keptAlive && (phase == Phase.PASS || phase == Phase.PARSED)) {
            headBytes = 0;
            lines = 0;
            lineLength = 0;
            phase = Phase.IDLE;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = next.read(dst);
        Phase now = phase;
        if (now == Phase.PASS || now == Phase.PARSED || n <= 0 && now != Phase.REJECTED) {
            return n;
        }
        if (now == Phase.REJECTED) {
            dst.position(start);
            return n < 0 ? n : 0;
        }
        scan(dst, start, start + n);
        if (phase == Phase.REJECTED) {
            dst.position(start);
            return 0;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (phase == Phase.PASS || phase == Phase.PARSED) {
            return next.read(dsts, offs, len);
        }
        // Undertow parses heads from one buffer; gather reads are only ever seen past the head.
        long total = 0;
        for (int i = offs; i < offs + len; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? n : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    private void scan(ByteBuffer buffer, int from, int to) {
        if (phase == Phase.IDLE) {
            phase = Phase.HEAD;
            headSince = System.nanoTime();
            guard.watch(this);
        }
        for (int i = from; i < to; i++) {
            byte b = buffer.get(i);
            headBytes++;
            if (b == '\n') {
                if (lineLength == 0 && lines > 0) {
                    // The blank line: the head is complete; what follows is a body or the next request.
                    phase = Phase.PARSED;
                    guard.unwatch(this);
                    return;
                }
                if (lineLength > 0) {
                    lines++;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
            if (headBytes > guard.maxHeadBytes()) {
                reject(431, "Request Header Fields Too Large", "request head over " + guard.maxHeadBytes() + " bytes",
                        HeadGuard.HEAD_TOO_LARGE);
                return;
            }
            if (lines > guard.maxHeaderFields() + 1) {
                reject(431, "Request Header Fields Too Large", "more than " + guard.maxHeaderFields() + " header fields",
                        HeadGuard.HEAD_TOO_LARGE);
                return;
            }
        }
    }

    /** Answers; the peer closes, or the sweeper does after the linger. Call on the I/O thread. */
    void reject(int status, String phrase, String reason, String counted) {
        if (phase != Phase.HEAD || !connection.isOpen()) {
            return;
        }
        phase = Phase.REJECTED;
        rejectedAt = System.nanoTime();
        guard.watch(this);
        guard.refused(counted);
        byte[] body = (reason + "\n").getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer answer = ByteBuffer.allocate(head.length() + body.length);
        answer.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        try {
            // A fresh or idle socket's send buffer is empty: the few hundred bytes go in one write.
            // No FIN yet: Undertow closes a socket whose writes are shut at its next read, and a
            // close with the peer's bytes unread is a reset that can destroy the answer in flight.
            rawSink.write(answer);
            rawSink.flush();
        } catch (IOException e) {
            IoUtils.safeClose(connection);
        }
    }
}
