package dev.wslab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests on the JDK's own client: every event lands in a queue the test polls
 * with a timeout, so tests wait on events, never on sleeps.
 */
public final class TestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> backlog = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private volatile String closeReason;

    private TestClient(URI uri, HttpClient http, String lb, boolean reading) {
        this.reading = reading;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (lb != null) {
            builder.header("X-Wslab-Lb", lb);
        }
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.request(reading ? Long.MAX_VALUE : 1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        events.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException("server sent non-JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(1006);
            }
        }).join();
    }

    public static TestClient connect(int port) {
        return connect(port, null);
    }

    public static TestClient connect(int port, String lb) {
        return new TestClient(URI.create("ws://127.0.0.1:" + port + "/ws"), HttpClient.newHttpClient(), lb, true);
    }

    /** A client of {@code /ws?<query>}, e.g. {@code token=…}. */
    public static TestClient connectWithQuery(int port, String query) {
        return new TestClient(URI.create("ws://127.0.0.1:" + port + "/ws?" + query), HttpClient.newHttpClient(), null, true);
    }

    /** A client whose HTTP client carries state across connections (cookies: the sticky session). */
    public static TestClient connect(HttpClient http, int port) {
        return new TestClient(URI.create("ws://127.0.0.1:" + port + "/ws"), http, null, true);
    }

    /** A client that reads its first frame and then nothing: its node's outbound queue fills up. */
    public static TestClient nonReading(int port) {
        return new TestClient(URI.create("ws://127.0.0.1:" + port + "/ws"), HttpClient.newHttpClient(), null, false);
    }

    public TestClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public TestClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** The next event of the given type, skipping others; fails after the timeout. */
    public JsonNode await(String type) {
        return await(e -> type.equals(e.path("type").asText()), "an event of type " + type);
    }

    /**
     * The first event, in arrival order, that matches. Events passed over stay queued for later
     * awaits: a broadcast may overtake the ack of its own publish.
     */
    public JsonNode await(Predicate<JsonNode> match, String what) {
        synchronized (backlog) {
            for (java.util.Iterator<JsonNode> it = backlog.iterator(); it.hasNext(); ) {
                JsonNode event = it.next();
                if (match.test(event)) {
                    it.remove();
                    return event;
                }
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode event;
            try {
                event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (event == null) {
                synchronized (backlog) {
                    throw new AssertionError("timed out waiting for " + what + "; passed over " + backlog);
                }
            }
            if (match.test(event)) {
                return event;
            }
            synchronized (backlog) {
                backlog.add(event);
            }
        }
    }

    /** Whether an event of this type has arrived and not been awaited yet; nothing is taken. */
    public boolean hasPending(String type) {
        synchronized (backlog) {
            if (backlog.stream().anyMatch(e -> type.equals(e.path("type").asText()))) {
                return true;
            }
        }
        return events.stream().anyMatch(e -> type.equals(e.path("type").asText()));
    }

    /** The room message with this body field value. */
    public JsonNode awaitMessage(String room, String text) {
        return await(e -> "message".equals(e.path("type").asText()) && room.equals(e.path("room").asText())
                && text.equals(e.path("body").path("text").asText()), "message '" + text + "' in " + room);
    }

    /** Whatever arrives within {@code wait}, after what was passed over: for asserting that nothing (more) arrives. */
    public List<JsonNode> drain(Duration wait) throws InterruptedException {
        List<JsonNode> out;
        synchronized (backlog) {
            out = new ArrayList<>(backlog);
            backlog.clear();
        }
        JsonNode e;
        while ((e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            out.add(e);
        }
        return out;
    }

    public JsonNode join(String room) {
        send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return await(e -> "joined".equals(e.path("type").asText()) && room.equals(e.path("room").asText()),
                "joined " + room);
    }

    public JsonNode publish(String room, String text, String id) {
        send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"id\":\"" + id + "\",\"body\":{\"text\":\"" + text + "\"}}");
        return await(e -> id.equals(e.path("id").asText()), "ack or error for " + id);
    }

    public int awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
