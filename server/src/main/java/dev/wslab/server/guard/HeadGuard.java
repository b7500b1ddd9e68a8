package dev.wslab.server.guard;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * The node's listener's defence before the upgrade: a request head must be complete within the
 * parse timeout (else 408) and within the size and field limits (else 431), each counted, as is
 * Undertow's own 400 for a head it cannot parse. A
 * slowloris that sends one header line every few seconds is cut after the timeout however long it
 * keeps trickling; a socket that sends nothing at all is Undertow's idle timeout's to close.
 *
 * <p>Only sockets part-way through a head, or lingering after a refusal, are watched: established
 * WebSockets and idle kept-alive sockets cost the sweeper nothing.
 */
public final class HeadGuard {
    public static final String HEAD_TIMEOUT = "request_timeout";
    public static final String HEAD_TOO_LARGE = "headers_too_large";
    public static final String MALFORMED = "bad_request";
    /** How long a refused socket may still send before it is closed: enough to read the answer. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private final Duration parseTimeout;
    private final int maxHeadBytes;
    private final int maxHeaderFields;
    private final Consumer<String> refused;
    private final Set<HeadConduit> watched = ConcurrentHashMap.newKeySet();

    /** @param refused counts a refusal by its error code */
    public HeadGuard(Duration parseTimeout, int maxHeadBytes, int maxHeaderFields, Consumer<String> refused) {
        this.parseTimeout = parseTimeout;
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaderFields = maxHeaderFields;
        this.refused = refused;
    }

    int maxHeadBytes() {
        return maxHeadBytes;
    }

    int maxHeaderFields() {
        return maxHeaderFields;
    }

    void refused(String code) {
        refused.accept(code);
    }

    void watch(HeadConduit conduit) {
        watched.add(conduit);
    }

    void unwatch(HeadConduit conduit) {
        watched.remove(conduit);
    }

    /** Puts a {@link HeadConduit} under Undertow's parser on every accepted socket. */
    public ChannelListener<StreamConnection> accepting(ChannelListener<StreamConnection> open) {
        return connection -> {
            connection.getSourceChannel().setConduit(new HeadConduit(connection, this));
            open.handleEvent(connection);
        };
    }

    /**
     * An upgraded socket sends no more request heads: its {@link HeadConduit} leaves its conduits.
     * Call before anything wraps them again (nothing is done if something did).
     */
    public static void detach(StreamConnection connection) {
        if (connection.getSourceChannel().getConduit() instanceof HeadConduit conduit) {
            conduit.detach();
        }
    }

    /** Tells each socket's conduit when a request reaches the handlers and when it completes. */
    public HttpHandler serving(HttpHandler next) {
        return exchange -> {
            HeadConduit conduit = conduitOf(exchange);
            if (conduit != null) {
                conduit.serving();
                exchange.addExchangeCompleteListener((done, proceed) -> {
                    conduit.completed(done.isPersistent() && !done.isUpgrade());
                    proceed.proceed();
                });
            }
            next.handleRequest(exchange);
        };
    }

    private static HeadConduit conduitOf(HttpServerExchange exchange) {
        return exchange.getConnection() instanceof AbstractServerConnection connection
                && connection.getOriginalSourceConduit() instanceof HeadConduit conduit ? conduit : null;
    }

    /** Runs the sweeper on the node's timer, often enough that a timeout is late by a quarter of itself at most. */
    public void start(ScheduledExecutorService timer) {
        long period = Math.max(50, Math.min(1000, parseTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Heads past the parse timeout are answered 408; refused sockets past the linger are closed. */
    void sweep() {
        long now = System.nanoTime();
        for (HeadConduit conduit : watched) {
            StreamConnection connection = conduit.connection();
            if (!connection.isOpen()) {
                watched.remove(conduit);
                continue;
            }
            switch (conduit.phase()) {
                case HEAD -> {
                    if (now - conduit.headSince() > parseTimeout.toNanos()) {
                        connection.getIoThread().execute(() -> conduit.reject(408, "Request Timeout",
                                "request head not complete within " + parseTimeout.toMillis() + " ms", HEAD_TIMEOUT));
                    }
                }
                case REJECTED -> {
                    if (now - conduit.rejectedAt() > LINGER.toNanos()) {
                        watched.remove(conduit);
                        connection.getIoThread().execute(() -> IoUtils.safeClose(connection));
                    }
                }
                default -> watched.remove(conduit);
            }
        }
    }
}
