package dev.wslab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client of the HTTP transports: makes a session, sends commands, long-polls or holds an
 * event stream. One cookie jar per client, as a browser has, so a sticky load balancer can keep it
 * on one node. Requests that fail are returned, not thrown: the tests count them.
 */
public final class SessionClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String session;
    private final String node;
    private final BlockingQueue<JsonNode> streamed = new LinkedBlockingQueue<>();
    private CompletableFuture<?> stream;

    public record Answer(int status, JsonNode body) {
        public String code() {
            return body.path("code").asText();
        }
    }

    private SessionClient(int port, String transport) {
        this.port = port;
        Answer made = call("POST", "/rt/sessions?transport=" + transport, "");
        if (made.status() != 201) {
            throw new AssertionError("session not made: " + made);
        }
        this.session = made.body().path("session").asText();
        this.node = made.body().path("node").asText();
    }

    public static SessionClient open(int port, String transport) {
        return new SessionClient(port, transport);
    }

    public String session() {
        return session;
    }

    /** The node that made the session. */
    public String node() {
        return node;
    }

    public Answer command(String json) {
        return call("POST", path("/commands"), json);
    }

    /** One long poll: its events (empty when it timed out, or failed: see {@link #pollAnswer}). */
    public List<JsonNode> poll() {
        Answer answer = pollAnswer();
        List<JsonNode> events = new ArrayList<>();
        if (answer.status() == 200) {
            answer.body().forEach(events::add);
        }
        return events;
    }

    public Answer pollAnswer() {
        return call("GET", path("/poll"), null);
    }

    /** Polls until an event of {@code type} arrives (other events are dropped), within 10 s. */
    public JsonNode pollFor(String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (JsonNode event : poll()) {
                if (event.path("type").asText().equals(type)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no " + type + " event within 10 s");
    }

    /** Opens the event stream; returns its status (200, or 404 for a session this node does not serve). */
    public int openStream() {
        HttpRequest request = HttpRequest.newBuilder(uri(path("/events"))).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                return response.statusCode();
            }
            stream = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
                if (line.startsWith("data:")) {
                    try {
                        streamed.add(JSON.readTree(line.substring(5).trim()));
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + line, e);
                    }
                }
            }));
            return 200;
        } catch (Exception e) {
            throw new AssertionError("stream failed: " + e, e);
        }
    }

    /** The next streamed event of {@code type} within 10 s. */
    public JsonNode streamed(String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (JsonNode event; (event = streamed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                if (event.path("type").asText().equals(type)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no streamed " + type + " event within 10 s");
    }

    private String path(String suffix) {
        return "/rt/sessions/" + session + suffix;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Answer call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        call("DELETE", path(""), null);
        if (stream != null) {
            stream.cancel(true);
        }
    }
}
