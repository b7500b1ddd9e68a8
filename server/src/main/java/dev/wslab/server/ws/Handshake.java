package dev.wslab.server.ws;

import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.guard.HeadGuard;
import dev.wslab.server.metrics.Metrics;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.Collections;
import java.util.Set;
import org.xnio.StreamConnection;

/**
 * The WebSocket upgrade (RFC 6455, version 13: every browser and client library since 2012): the
 * request is checked and answered by Undertow's handshake, then the upgraded TCP connection is
 * handed on bare — no Undertow WebSocket channel is made for it ({@link WebSocketConnection} reads
 * and writes its frames), and the HTTP connection it was is let go of ({@link HttpRelease}). That is
 * for memory: what Undertow keeps per socket is most of an idle socket's heap. Nor is each socket put
 * in a set of peers: {@link ClientRegistry} already counts them.
 */
final class Handshake implements HttpHandler {
    /** What an opened socket is handed to. */
    interface Opened {
        /** {@code exchange} is the upgrade request's; {@code buffers} is the listener's pool, for reads. */
        void onConnect(HttpServerExchange exchange, StreamConnection stream, ByteBufferPool buffers);
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
        exchange.upgradeChannel((stream, upgraded) -> {
            ByteBufferPool buffers = upgraded.getConnection().getByteBufferPool();
            release.release(stream, upgraded);
            HeadGuard.detach(stream);
            callback.onConnect(upgraded, stream, buffers);
        });
        version13.handshake(facade);
    }
}
