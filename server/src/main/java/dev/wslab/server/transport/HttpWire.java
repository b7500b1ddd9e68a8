package dev.wslab.server.transport;

import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ServerEvent;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.client.Wire;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.xnio.XnioIoThread;

/**
 * The downstream of an HTTP session: frames wait here until the client holds an event stream (SSE)
 * or a long poll, and go out on it. A session has no socket of its own between requests, which is
 * why it lives in one node's memory and why a request for it must reach that node.
 *
 * <p>All state is touched on one I/O thread, the one the session was made on; requests arriving on
 * other threads hop onto it. Frames count against the outbound-queue limit until a response takes
 * them, so a client that stops polling is closed as a slow reader, as a WebSocket one would be.
 */
final class HttpWire implements Wire {
    /** How long a goodbye waits for a stream or poll to carry it before the session ends anyway. */
    private static final long GOODBYE_WAIT_MS = 5000;
    private static final long CUT_WAIT_MS = 1000;

    private final XnioIoThread thread;
    private final Codec codec;
    private final long pollTimeoutMs;
    private final IntConsumer ended;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private volatile Client connection;
    private HttpServerExchange poll;
    private ServerSentEventConnection stream;
    private ByteBuffer goodbye;
    private int closeCode;
    private volatile boolean over;
    /** One callback for every frame of the stream: no allocation per frame sent. */
    private final ServerSentEventConnection.EventCallback sent = new ServerSentEventConnection.EventCallback() {
        @Override
        public void done(ServerSentEventConnection c, String data, String event, String id) {
            connection.written(true);
        }

        @Override
        public void failed(ServerSentEventConnection c, String data, String event, String id, IOException e) {
            connection.written(false);
        }
    };

    /** @param ended told the close code once the session is over */
    HttpWire(XnioIoThread thread, Codec codec, Duration pollTimeout, IntConsumer ended) {
        this.thread = thread;
        this.codec = codec;
        this.pollTimeoutMs = pollTimeout.toMillis();
        this.ended = ended;
    }

    @Override
    public XnioIoThread ioThread() {
        return thread;
    }

    @Override
    public boolean isOpen() {
        return !over;
    }

    @Override
    public void write(Frame frame, Client connection) {
        this.connection = connection;
        pending.add(frame.payload());
        deliver();
    }

    @Override
    public void close(int code, String reason) {
        thread.execute(() -> sayGoodbye(code, reason, GOODBYE_WAIT_MS));
    }

    @Override
    public void closeAndCut(int code, String reason) {
        thread.execute(() -> sayGoodbye(code, reason, CUT_WAIT_MS));
    }

    /** An open stream or a waiting poll is the client being there; between polls it is silent. */
    @Override
    public void ping(Client connection) {
        thread.execute(() -> {
            if ((stream != null && stream.isOpen()) || poll != null) {
                connection.heard();
            }
        });
    }

    /**
     * A long poll: answered at once if frames wait, else when one arrives or after {@code waitMs}
     * (at most the poll timeout) with []. A client reading what is there without waiting asks for 0.
     */
    void poll(HttpServerExchange exchange, long waitMs) {
        long wait = Math.max(0, Math.min(waitMs, pollTimeoutMs));
        thread.execute(() -> {
            if (over) {
                respond(exchange, StatusCodes.GONE, new ArrayDeque<>());
                return;
            }
            if (poll != null) {
                respond(poll, StatusCodes.OK, new ArrayDeque<>()); // a newer poll replaces it
            }
            poll = exchange;
            deliver();
            if (poll == exchange) {
                thread.executeAfter(() -> {
                    if (poll == exchange) {
                        poll = null;
                        respond(exchange, StatusCodes.OK, new ArrayDeque<>());
                    }
                }, wait, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** An event stream: the newest one wins, an older one is ended. */
    void stream(ServerSentEventConnection sse) {
        thread.execute(() -> {
            if (over) {
                sse.shutdown();
                return;
            }
            if (stream != null && stream != sse) {
                stream.shutdown();
            }
            stream = sse;
            sse.addCloseTask(closed -> thread.execute(() -> {
                if (stream == closed) {
                    stream = null;
                }
            }));
            deliver();
        });
    }

    private void sayGoodbye(int code, String reason, long waitMs) {
        if (over || goodbye != null) {
            return;
        }
        closeCode = code;
        goodbye = ByteBuffer.wrap(codec.encode(new ServerEvent.Closed(code, reason)));
        deliver();
        if (!over) {
            thread.executeAfter(this::end, waitMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands what waits to the stream or the poll; the goodbye goes last, then the session ends. */
    private void deliver() {
        if (stream != null && stream.isOpen()) {
            for (ByteBuffer frame; (frame = pending.poll()) != null; ) {
                stream.send(text(frame), sent);
            }
            if (goodbye != null) {
                stream.send(text(goodbye));
                end();
            }
        } else if (poll != null && (!pending.isEmpty() || goodbye != null)) {
            ArrayDeque<ByteBuffer> frames = new ArrayDeque<>(pending);
            int count = pending.size();
            pending.clear();
            if (goodbye != null) {
                frames.add(goodbye.duplicate());
            }
            HttpServerExchange answered = poll;
            poll = null;
            respond(answered, StatusCodes.OK, frames);
            for (int i = 0; i < count; i++) {
                connection.written(true);
            }
            if (goodbye != null) {
                end();
            }
        }
    }

    private void end() {
        if (over) {
            return;
        }
        over = true;
        if (poll != null) {
            respond(poll, StatusCodes.GONE, new ArrayDeque<>());
            poll = null;
        }
        if (stream != null) {
            stream.shutdown();
            stream = null;
        }
        for (int i = pending.size(); i > 0 && connection != null; i--) {
            connection.written(false);
        }
        pending.clear();
        ended.accept(closeCode);
    }

    /** A poll's answer: a JSON array of the events, in order. */
    private static void respond(HttpServerExchange exchange, int status, ArrayDeque<ByteBuffer> frames) {
        int size = 2 + frames.size();
        for (ByteBuffer f : frames) {
            size += f.remaining();
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        body.put((byte) '[');
        boolean first = true;
        for (ByteBuffer f : frames) {
            if (!first) {
                body.put((byte) ',');
            }
            body.put(f.duplicate());
            first = false;
        }
        body.put((byte) ']').flip();
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body);
    }

    private static String text(ByteBuffer frame) {
        return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
    }
}
