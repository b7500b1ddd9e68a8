package dev.wslab.server.transport;

import dev.wslab.server.http.Responses;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Passes a request for another node's session to that node (shared sessions) and its answer back:
 * commands, polls and ends as one request each, an event stream as a relay of its events. The hop
 * is what shared sessions cost over sticky ones; its time is recorded per kind.
 */
final class Forwarder {
    private static final List<String> PASSED_HEADERS = List.of("Authorization", "Content-Type", "X-Wslab-Lb");

    private final String nodeId;
    private final Responses responses;
    private final Metrics metrics;
    private final Duration timeout;
    private final Duration keepalive;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** @param timeout the longest a forwarded request may take (a poll waits up to the poll timeout) */
    Forwarder(String nodeId, Responses responses, Metrics metrics, Duration timeout, Duration keepalive) {
        this.nodeId = nodeId;
        this.responses = responses;
        this.metrics = metrics;
        this.timeout = timeout;
        this.keepalive = keepalive;
    }

    /** @param ownerGone answers the client when the owner cannot be reached (its session died with it) */
    void forward(HttpServerExchange exchange, String kind, String owner, byte[] body, Runnable ownerGone) {
        String query = exchange.getQueryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + owner + exchange.getRequestURI()
                        + (query == null || query.isEmpty() ? "" : "?" + query)))
                .header(Sessions.FORWARDED, nodeId)
                .method(exchange.getRequestMethod().toString(),
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : PASSED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        long start = System.nanoTime();
        if (kind.equals("stream")) {
            relay(exchange, request.header("Accept", "text/event-stream").build(), ownerGone);
            return;
        }
        http.sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            if (error != null) {
                ownerGone.run();
                return;
            }
            metrics.sessionForwarded(kind, System.nanoTime() - start);
            exchange.setStatusCode(response.statusCode());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type));
            exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
        });
    }

    /** Opens the owner's stream first, so that an ended session is a 404 here too, then relays its events. */
    private void relay(HttpServerExchange exchange, HttpRequest request, Runnable ownerGone) {
        http.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()).whenComplete((response, error) -> {
            if (error != null) {
                ownerGone.run();
                return;
            }
            metrics.sessionForwarded("stream", 0);
            if (response.statusCode() != StatusCodes.OK) {
                response.body().subscribe(new Discard());
                metrics.sessionUnknown("ended");
                responses.error(exchange, StatusCodes.NOT_FOUND, ErrorCode.UNKNOWN_SESSION,
                        "the session's node answered " + response.statusCode());
                return;
            }
            try {
                new ServerSentEventHandler((sse, lastEventId) -> {
                    sse.setKeepAliveTime(keepalive.toMillis());
                    response.body().subscribe(new Relay(sse));
                }).handleRequest(exchange);
            } catch (Exception e) {
                response.body().subscribe(new Discard());
                exchange.setStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
                exchange.endExchange();
            }
        });
    }

    /** Re-sends each event of the owner's stream ({@code data:} lines up to a blank line); comments are dropped. */
    private static final class Relay implements Flow.Subscriber<List<ByteBuffer>> {
        private final ServerSentEventConnection sse;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean afterNewline;

        Relay(ServerSentEventConnection sse) {
            this.sse = sse;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            sse.addCloseTask(closed -> s.cancel());
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            for (ByteBuffer chunk : chunks) {
                while (chunk.hasRemaining()) {
                    byte b = chunk.get();
                    pending.write(b);
                    if (b == '\n' && afterNewline) {
                        event(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                    }
                    afterNewline = b == '\n';
                }
            }
        }

        private void event(String block) {
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                }
            }
            if (data.length() > 0 && sse.isOpen()) {
                sse.send(data.toString());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            sse.shutdown();
        }

        @Override
        public void onComplete() {
            sse.shutdown();
        }
    }

    private static final class Discard implements Flow.Subscriber<List<ByteBuffer>> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
