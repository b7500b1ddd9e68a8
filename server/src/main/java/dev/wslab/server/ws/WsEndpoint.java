package dev.wslab.server.ws;

import dev.wslab.server.Config;
import dev.wslab.server.auth.Authenticator;
import dev.wslab.server.auth.Identity;
import dev.wslab.server.auth.TokenException;
import dev.wslab.server.guard.ConnectionCap;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The {@code /ws} endpoint: the handshake, then one {@link Connection} per socket. Frames are decoded
 * on the socket's I/O thread and handed to {@link RoomCommands}, which never blocks.
 */
public final class WsEndpoint implements WebSocketConnectionCallback {
    public static final int BINARY_REFUSED = CloseMessage.WRONG_CODE;
    private static final AttachmentKey<Identity> IDENTITY = AttachmentKey.create(Identity.class);

    private final Config config;
    private final Clients clients;
    private final Metrics metrics;
    private final Authenticator authenticator;

    public WsEndpoint(Config config, Clients clients, Metrics metrics, Authenticator authenticator) {
        this.authenticator = authenticator;
        this.config = config;
        this.clients = clients;
        this.metrics = metrics;
    }

    /** The upgrade handler; a draining or full node refuses new sockets with 503 so HAProxy retries elsewhere. */
    public HttpHandler handler(BooleanSupplier draining, ConnectionCap cap) {
        HttpHandler upgrade = new Handshake(this, metrics);
        return exchange -> {
            if (draining.getAsBoolean()) {
                exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
                exchange.getResponseSender().send("draining: connect to another node");
                return;
            }
            if (cap.refuses(exchange)) {
                exchange.getResponseSender().send(cap.reason());
                return;
            }
            // Origin guards browsers against cross-site WebSocket hijacking. A request without one is
            // not from a browser, and a non-browser client could send any Origin anyway.
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null && !config.allowedOrigins().isEmpty() && !config.allowedOrigins().contains(origin)) {
                metrics.error("bad_origin");
                exchange.setStatusCode(StatusCodes.FORBIDDEN);
                exchange.getResponseSender().send("origin not allowed: " + origin);
                return;
            }
            String token = Clients.token(exchange);
            try {
                exchange.putAttachment(IDENTITY, authenticator.client(token));
            } catch (TokenException e) {
                metrics.error(ErrorCode.UNAUTHORIZED.wire());
                exchange.setStatusCode(StatusCodes.UNAUTHORIZED);
                exchange.getResponseSender().send("unauthorized: " + e.getMessage());
                return;
            }
            java.util.Deque<String> previous = exchange.getQueryParameters().get("previous");
            if (previous != null && !previous.isEmpty()) {
                metrics.reconnectLanding(clients.lb(exchange).label(), config.nodeId().equals(previous.getFirst()));
            }
            upgrade.handleRequest(exchange);
        };
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Lb lb = Lb.fromHeader(exchange.getRequestHeader(config.lbHeader()));
        Connection connection = new Connection(UUID.randomUUID().toString(), lb, exchange.getAttachment(IDENTITY),
                new WebSocketWire(channel), config.outboundQueueFrames(), metrics);
        channel.addCloseTask(ch -> clients.closed(connection,
                ch.getCloseCode() > 0 ? ch.getCloseCode() : CloseMessage.GOING_AWAY + 5)); // 1006: no close frame
        channel.getReceiveSetter().set(new Listener(connection));
        channel.resumeReceives();
        clients.opened(connection);
    }

    private final class Listener extends AbstractReceiveListener {
        private final Connection connection;
        private final RateLimit publishes;

        Listener(Connection connection) {
            this.connection = connection;
            this.publishes = clients.publishLimit();
        }

        @Override
        protected long getMaxTextBufferSize() {
            return config.maxFrameBytes();
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return config.maxFrameBytes();
        }

        @Override
        protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            connection.heard();
            message.getData().free();
        }

        @Override
        protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
            connection.heard();
            super.onFullPingMessage(channel, message);
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            clients.received(connection, publishes, message.getData());
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            metrics.received("binary");
            metrics.error("binary_frame");
            connection.close(BINARY_REFUSED, "binary frames are not supported; send JSON text");
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            if (error instanceof IOException && String.valueOf(error.getMessage()).contains("UT002")) {
                metrics.error("frame_too_large");
            }
            super.onError(channel, error);
        }
    }
}
