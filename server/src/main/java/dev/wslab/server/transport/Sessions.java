package dev.wslab.server.transport;

import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.config.Config;
import dev.wslab.server.http.Responses;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.state.SessionDirectory;
import dev.wslab.server.commands.Dispatcher;
import dev.wslab.server.client.Admission;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.RateLimit;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The fallback transports real clients use when WebSockets are blocked, on the same rooms and
 * protocol: a session is made with {@code POST /rt/sessions}, commands go up as
 * {@code POST /rt/sessions/{id}/commands} (one JSON command each, as on a WebSocket), and events come
 * down on a Server-Sent-Events stream ({@code GET …/events}) or by long polling ({@code GET …/poll},
 * a JSON array per answer). {@code DELETE /rt/sessions/{id}} ends it.
 *
 * <p>A session lives in the memory of the node that made it. With {@code sessions=local} a request
 * that reaches another node is answered 404 {@code unknown_session} — what a non-sticky load balancer
 * does to Socket.IO's or SockJS's polling — and the client must make a new session and resume. With
 * {@code sessions=shared} the owner's address is in Redis and the other node forwards the request
 * there ({@link Forwarder}): it costs a Redis read and a hop, measured as {@code wslab_session_forward}.
 */
public final class Sessions {
    private static final System.Logger LOG = System.getLogger(Sessions.class.getName());
    /** Marks a request one node passed to another, which must not pass it on again. */
    static final String FORWARDED = "X-Wslab-Forwarded";
    /** Long enough for any session; the owner deletes the key when the session ends. */
    private static final Duration OWNER_TTL = Duration.ofHours(24);

    private final Config config;
    private final Codec codec;
    private final Responses responses;
    private final Dispatcher dispatcher;
    private final Metrics metrics;
    private final Admission admission;
    private final SessionDirectory directory;
    private final Forwarder forwarder;
    private final Supplier<String> selfAddress;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    private record Session(Client connection, HttpWire wire, RateLimit publishes) {}

    /** @param selfAddress where other nodes reach this one (known once the listener is bound) */
    public Sessions(Config config, Codec codec, Dispatcher dispatcher, Metrics metrics, Admission admission, SessionDirectory directory,
            Supplier<String> selfAddress) {
        this.config = config;
        this.codec = codec;
        this.responses = new Responses(codec);
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.admission = admission;
        this.directory = directory;
        this.selfAddress = selfAddress;
        this.forwarder = config.sessions().mode() == Config.SessionMode.SHARED
                ? new Forwarder(config.nodeId(), responses, metrics, config.sessions().pollTimeout().plusSeconds(10), config.liveness().pingInterval())
                : null;
    }

    public void mount(RoutingHandler routes) {
        routes.post("/rt/sessions", this::create)
                .post("/rt/sessions/{id}/commands", ex -> serve(ex, "command", s -> command(ex, s)))
                .get("/rt/sessions/{id}/poll", ex -> serve(ex, "poll", s -> Responses.async(ex, () -> s.wire().poll(ex, waitMs(ex)))))
                .get("/rt/sessions/{id}/events", ex -> serve(ex, "stream", s -> stream(ex, s)))
                .delete("/rt/sessions/{id}", ex -> serve(ex, "end", s -> {
                    s.connection().close(CloseCodes.NORMAL, CloseCodes.SESSION_ENDED);
                    ex.setStatusCode(StatusCodes.NO_CONTENT);
                    ex.endExchange();
                }));
    }

    private void create(HttpServerExchange exchange) {
        Admission.Decision decision = admission.decide(exchange, "draining: make the session on another node");
        if (decision instanceof Admission.Refused refused) {
            responses.error(exchange, refused.status(), refused.code(), refused.reason());
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) decision;
        String transport = "sse".equals(param(exchange, "transport")) ? "sse" : "poll";
        String id = UUID.randomUUID().toString();
        Client[] made = new Client[1];
        HttpWire wire = new HttpWire(exchange.getIoThread(), codec, config.sessions().pollTimeout(), code -> ended(id, made[0], code));
        Client connection = new Client(id, admitted.lb(), admitted.identity(), wire, config.limits().outboundQueueFrames(), metrics);
        made[0] = connection;
        open.put(id, new Session(connection, wire, dispatcher.publishLimit()));
        dispatcher.opened(connection);
        metrics.httpSession(transport);
        Runnable answer = () -> responses.json(exchange, StatusCodes.CREATED, Map.of("session", id, "node", config.nodeId()));
        if (forwarder == null) {
            answer.run();
            return;
        }
        Responses.async(exchange, () -> directory.sessionOwned(id, selfAddress.get(), OWNER_TTL)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        // Only this node could serve it: still usable through a sticky load balancer.
                        LOG.log(Level.WARNING, "event=session_owner_unrecorded node=" + config.nodeId() + " error=" + error);
                    }
                    answer.run();
                }));
    }

    private void ended(String id, Client connection, int code) {
        open.remove(id);
        dispatcher.closed(connection, code);
        if (forwarder != null) {
            directory.sessionEnded(id);
        }
    }

    /** Runs {@code action} on the session the path names, or says why this node cannot. */
    private void serve(HttpServerExchange exchange, String kind, Consumer<Session> action) {
        String id = param(exchange, "id");
        Session session = id == null ? null : open.get(id);
        if (session != null) {
            session.connection().heard();
            action.accept(session);
            return;
        }
        if (forwarder == null || exchange.getRequestHeaders().contains(FORWARDED)) {
            unknown(exchange, forwarder == null ? "local" : "ended",
                    "session " + id + " is not on " + config.nodeId()
                            + (forwarder == null ? " (node-local sessions: the load balancer must send every request to the node that made it)" : ""));
            return;
        }
        Consumer<byte[]> lookUpAndForward = body -> Responses.async(exchange, () -> directory.sessionOwner(id).whenComplete((owner, error) -> {
            if (error != null || owner.isEmpty() || owner.get().equals(selfAddress.get())) {
                unknown(exchange, "ended", "session " + id + " has ended" + (error == null ? "" : " or Redis is unreachable (" + error + ")"));
            } else {
                forwarder.forward(exchange, kind, owner.get(), body, () -> {
                    directory.sessionEnded(id);
                    unknown(exchange, "owner_gone", "the node serving session " + id + " (" + owner.get() + ") is unreachable");
                });
            }
        }));
        if (exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.setMaxEntitySize(config.limits().maxFrameBytes());
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> lookUpAndForward.accept(body), this::tooLarge);
        } else {
            lookUpAndForward.accept(null);
        }
    }

    private void unknown(HttpServerExchange exchange, String reason, String message) {
        metrics.sessionUnknown(reason);
        metrics.error(ErrorCode.UNKNOWN_SESSION.wire());
        responses.error(exchange, StatusCodes.NOT_FOUND, ErrorCode.UNKNOWN_SESSION, message);
    }

    private void command(HttpServerExchange exchange, Session session) {
        exchange.setMaxEntitySize(config.limits().maxFrameBytes());
        exchange.getRequestReceiver().receiveFullBytes((ex, bytes) -> {
            dispatcher.received(session.connection(), session.publishes(), new String(bytes, StandardCharsets.UTF_8));
            // What the command did comes down the session's stream or poll, as on a WebSocket.
            ex.setStatusCode(StatusCodes.ACCEPTED);
            ex.endExchange();
        }, this::tooLarge);
    }

    private void tooLarge(HttpServerExchange exchange, java.io.IOException error) {
        metrics.error(ErrorCode.TOO_LARGE.wire());
        responses.error(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, ErrorCode.TOO_LARGE,
                "a command is at most " + config.limits().maxFrameBytes() + " bytes");
    }

    private void stream(HttpServerExchange exchange, Session session) throws RuntimeException {
        try {
            new ServerSentEventHandler((sse, lastEventId) -> {
                // Comments keep the stream from looking idle to HAProxy (timeout server/client) and proxies.
                sse.setKeepAliveTime(config.liveness().pingInterval().toMillis());
                session.wire().stream(sse);
            }).handleRequest(exchange);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ?waitMs=} of a poll, or the whole poll timeout. */
    private long waitMs(HttpServerExchange exchange) {
        String value = param(exchange, "waitMs");
        try {
            return value == null ? config.sessions().pollTimeout().toMillis() : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return config.sessions().pollTimeout().toMillis();
        }
    }

    static String param(HttpServerExchange exchange, String name) {
        java.util.Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null ? null : values.peekFirst();
    }
}
