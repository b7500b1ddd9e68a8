package dev.wslab.server.ws;

import dev.wslab.server.client.Admission;
import dev.wslab.server.commands.Dispatcher;

import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.client.RateLimit;
import dev.wslab.server.client.Lb;
import dev.wslab.server.client.Client;
import dev.wslab.server.config.Config;
import dev.wslab.server.metrics.Metrics;
import io.undertow.server.HttpHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.util.UUID;

/**
 * The {@code /ws} endpoint: the handshake, then one {@link Client} per socket. Frames are decoded
 * on the socket's I/O thread and handed to the {@link Dispatcher}, which never blocks.
 */
public final class WsEndpoint implements Handshake.Opened {
    private static final AttachmentKey<Admission.Admitted> ADMITTED = AttachmentKey.create(Admission.Admitted.class);

    private final Config config;
    private final Dispatcher dispatcher;
    private final Admission admission;
    private final Metrics metrics;

    public WsEndpoint(Config config, Dispatcher dispatcher, Admission admission, Metrics metrics) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.admission = admission;
        this.metrics = metrics;
    }

    /** The upgrade handler; a draining or full node refuses new sockets with 503 so HAProxy retries elsewhere. */
    public HttpHandler handler() {
        HttpHandler upgrade = new Handshake(this, metrics);
        return exchange -> {
            // Origin guards browsers against cross-site WebSocket hijacking. A request without one is
            // not from a browser, and a non-browser client could send any Origin anyway.
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null && !config.network().allowedOrigins().isEmpty() && !config.network().allowedOrigins().contains(origin)) {
                metrics.error("bad_origin");
                exchange.setStatusCode(StatusCodes.FORBIDDEN);
                exchange.getResponseSender().send("origin not allowed: " + origin);
                return;
            }
            Admission.Decision decision = admission.decide(exchange, "draining: connect to another node");
            if (decision instanceof Admission.Refused refused) {
                exchange.getResponseSender().send(refused.reason());
                return;
            }
            exchange.putAttachment(ADMITTED, (Admission.Admitted) decision);
            java.util.Deque<String> previous = exchange.getQueryParameters().get("previous");
            if (previous != null && !previous.isEmpty()) {
                metrics.reconnectLanding(((Admission.Admitted) decision).lb().label(), config.nodeId().equals(previous.getFirst()));
            }
            upgrade.handleRequest(exchange);
        };
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel, Outbound outbound) {
        Admission.Admitted admitted = exchange.getAttachment(ADMITTED);
        Client connection = new Client(UUID.randomUUID().toString(), admitted.lb(), admitted.identity(),
                new WebSocketWire(channel, outbound), config.limits().outboundQueueFrames(), metrics);
        channel.addCloseTask(ch -> dispatcher.closed(connection,
                ch.getCloseCode() > 0 ? ch.getCloseCode() : CloseCodes.ABNORMAL));
        channel.getReceiveSetter().set(new Listener(connection));
        channel.resumeReceives();
        dispatcher.opened(connection);
    }

    private final class Listener extends AbstractReceiveListener {
        private final Client connection;
        private final RateLimit publishes;

        Listener(Client connection) {
            this.connection = connection;
            this.publishes = dispatcher.publishLimit();
        }

        @Override
        protected long getMaxTextBufferSize() {
            return config.limits().maxFrameBytes();
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return config.limits().maxFrameBytes();
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
            dispatcher.received(connection, publishes, message.getData());
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            metrics.received("binary");
            metrics.error("binary_frame");
            connection.close(CloseCodes.BINARY_REFUSED, CloseCodes.BINARY);
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
