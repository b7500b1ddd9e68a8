package dev.wslab.server.http;

import dev.wslab.server.auth.Authenticator;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.protocol.ProtocolException;
import dev.wslab.server.commands.RoomCommands;
import dev.wslab.server.state.NodeInfo;
import dev.wslab.server.state.ClusterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The node's public HTTP surface, reachable through HAProxy: the publish API for backend services,
 * room and cluster reads, health and metrics. Handlers never block the I/O thread: Redis-backed
 * answers are sent when their stage completes.
 */
public final class HttpApi {
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Codec codec;
    private final Responses responses;
    private final RoomCommands commands;
    private final ClusterRegistry cluster;
    private final Metrics metrics;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Health> health;
    private final int maxBodyBytes;
    private final Authenticator authenticator;

    public HttpApi(Codec codec, RoomCommands commands, ClusterRegistry cluster, Metrics metrics,
            PrometheusMeterRegistry registry, Supplier<Health> health, int maxBodyBytes, Authenticator authenticator) {
        this.authenticator = authenticator;
        this.codec = codec;
        this.responses = new Responses(codec);
        this.commands = commands;
        this.cluster = cluster;
        this.metrics = metrics;
        this.registry = registry;
        this.health = health;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Routes, with {@code ws} mounted at {@code /ws}, the browser demo at {@code /} and {@code /demo/*},
     * and whatever {@code more} adds (the HTTP transports' {@code /rt/*}).
     */
    public HttpHandler routes(HttpHandler ws, HttpHandler demo, java.util.function.Consumer<RoutingHandler> more) {
        RoutingHandler routes = Handlers.routing()
                .get("/ws", ws)
                .get("/", demo)
                .get("/demo/*", demo)
                .get("/health", this::health)
                .get("/health/lb", this::loadBalancerCheck)
                .get("/metrics", this::metrics)
                .post("/api/rooms/{room}/messages", this::publish)
                .get("/api/rooms/{room}", this::roomSnapshot)
                .get("/api/cluster", this::cluster);
        more.accept(routes);
        routes.setFallbackHandler(ex -> responses.error(ex, StatusCodes.NOT_FOUND, ErrorCode.UNKNOWN_TYPE,
                "no such endpoint: " + ex.getRequestMethod() + " " + ex.getRequestPath()));
        routes.setInvalidMethodHandler(ex -> responses.error(ex, StatusCodes.METHOD_NOT_ALLOWED,
                ErrorCode.UNKNOWN_TYPE, "method not allowed: " + ex.getRequestMethod()));
        return routes;
    }

    static void health(HttpServerExchange exchange, Responses responses, Health health) {
        responses.json(exchange, health.ok() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, health);
    }

    private void health(HttpServerExchange exchange) {
        health(exchange, responses, health.get());
    }

    /**
     * What HAProxy checks. Unlike {@code /health} it answers 404 while draining — HAProxy's
     * {@code disable-on-404} then sends no new clients but keeps open tunnels until the node closes
     * them with 1001 (a 503 would mark the node down and cut them) — and 200 while Redis is away:
     * every node shares that Redis, so marking them all down would only cut every client off.
     */
    private void loadBalancerCheck(HttpServerExchange exchange) {
        Health current = health.get();
        responses.json(exchange, "draining".equals(current.status()) ? StatusCodes.NOT_FOUND : StatusCodes.OK, current);
    }

    /**
     * Rendered on a worker thread: a scrape walks every meter and histogram (milliseconds, more while
     * the JIT is cold), and on an I/O thread it would hold up every socket of that thread — every two
     * seconds, Prometheus's interval, a stall in the deliveries' p99.
     */
    private void metrics(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::metrics);
            return;
        }
        responses.text(exchange, StatusCodes.OK, METRICS_CONTENT_TYPE, registry.scrape());
    }

    private void publish(HttpServerExchange exchange) {
        if (!authenticator.mayPublish(exchange.getRequestHeaders().getFirst("Authorization"))) {
            metrics.error(ErrorCode.UNAUTHORIZED.wire());
            responses.error(exchange, StatusCodes.UNAUTHORIZED, ErrorCode.UNAUTHORIZED,
                    "the publish API needs Authorization: Bearer <WSLAB_API_KEY>");
            return;
        }
        String room = roomParam(exchange);
        if (room == null) {
            return;
        }
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            tooLarge(exchange);
            return;
        }
        exchange.setMaxEntitySize(maxBodyBytes);
        exchange.getRequestReceiver().receiveFullBytes((ex, bytes) -> {
            try {
                CompletionStage<Long> published = commands.publish(room, codec.parseBody(bytes));
                respond(ex, published, (seq, done) -> {
                    metrics.httpPublished();
                    responses.json(done, StatusCodes.OK, Map.of("room", room, "seq", seq));
                });
            } catch (ProtocolException e) {
                fail(ex, e);
            }
        }, (ex, error) -> {
            if (error instanceof RequestTooBigException) {
                tooLarge(ex);
            } else {
                fail(ex, new ProtocolException(ErrorCode.BAD_JSON, "could not read the body: " + error, null));
            }
        });
    }

    private void tooLarge(HttpServerExchange exchange) {
        fail(exchange, new ProtocolException(ErrorCode.TOO_LARGE, "body over " + maxBodyBytes + " bytes", null));
    }

    private void roomSnapshot(HttpServerExchange exchange) {
        String room = roomParam(exchange);
        if (room != null) {
            respond(exchange, commands.snapshot(room), (snapshot, done) -> responses.json(done, StatusCodes.OK, snapshot));
        }
    }

    private void cluster(HttpServerExchange exchange) {
        respond(exchange, cluster.cluster(), (nodes, done) -> responses.json(done, StatusCodes.OK, Map.of(
                "nodes", nodes,
                "connections", nodes.stream().mapToLong(NodeInfo::connections).sum())));
    }

    /** Sends the stage's result when it completes; a failed stage is the bus being unavailable. */
    private <T> void respond(HttpServerExchange exchange, CompletionStage<T> stage,
            BiConsumer<T, HttpServerExchange> onSuccess) {
        Runnable send = () -> stage.whenComplete((value, error) -> {
            if (error != null) {
                fail(exchange, RoomCommands.unavailable(error, null));
            } else {
                onSuccess.accept(value, exchange);
            }
        });
        Responses.async(exchange, send);
    }

    private void fail(HttpServerExchange exchange, ProtocolException error) {
        metrics.error(error.code().wire());
        responses.error(exchange, error);
    }

    private String roomParam(HttpServerExchange exchange) {
        java.util.Deque<String> values = exchange.getQueryParameters().get("room");
        String room = values == null ? null : values.peekFirst();
        try {
            Codec.checkRoom(room);
            return room;
        } catch (ProtocolException e) {
            fail(exchange, e);
            return null;
        }
    }
}
