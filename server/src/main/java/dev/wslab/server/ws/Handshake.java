package dev.wslab.server.ws;

import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.metrics.Metrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WebSocket upgrade (RFC 6455, version 13: every browser and client library since 2012), in place
 * of Undertow's {@code Handlers.websocket}, for one reason: memory. Undertow's upgrade listener holds
 * the handshake's exchange, and the socket's close listener holds that listener for the socket's
 * whole life — a JFR old-object sample of 5,000 idle sockets showed every request's exchange, headers,
 * cookies and path strings still live. Here the listener lets go of the exchange once the socket is
 * open, and the HTTP connection itself is let go of ({@link HttpRelease}). Nor is each socket put in a
 * set of peers: {@link ClientRegistry} already counts them. And the socket gets its {@link Outbound}
 * here, before its first frame.
 */
final class Handshake implements HttpHandler {
    /** What an opened socket is handed to. */
    interface Opened {
        void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel, Outbound outbound);
    }

    private static final Set<WebSocketChannel> NO_PEERS = Collections.emptySet();

    private static final System.Logger LOG = System.getLogger(Handshake.class.getName());

    private final Hybi13Handshake version13 = new Hybi13Handshake();
    private final HttpRelease release = new HttpRelease();
    private final Opened callback;
    private final Metrics metrics;

    Handshake(Opened callback, Metrics metrics) {
        this.callback = callback;
        this.metrics = metrics;
        if (!release.available()) {
            LOG.log(System.Logger.Level.WARNING, "event=http_release_unavailable reason=\"no close listener field in this XNIO: each WebSocket keeps its HTTP connection\"");
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, NO_PEERS);
        if (!exchange.getRequestMethod().equals(Methods.GET) || !version13.matches(facade)) {
            metrics.error("not_websocket");
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            exchange.getResponseSender().send("expected a WebSocket upgrade (RFC 6455, Sec-WebSocket-Version: 13)");
            return;
        }
        AtomicReference<AsyncWebSocketHttpServerExchange> pending = new AtomicReference<>(facade);
        exchange.upgradeChannel((stream, upgraded) -> {
            AsyncWebSocketHttpServerExchange handshake = pending.getAndSet(null);
            release.release(stream, upgraded);
            WebSocketChannel channel = version13.createChannel(handshake, stream, handshake.getBufferPool());
            callback.onConnect(handshake, channel, Outbound.install(stream, channel));
        });
        version13.handshake(facade);
    }
}
