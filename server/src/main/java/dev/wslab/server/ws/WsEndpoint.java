package dev.wslab.server.ws;

import dev.wslab.server.client.Admission;
import dev.wslab.server.commands.Dispatcher;

import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.client.RateLimit;
import dev.wslab.server.client.Lb;
import dev.wslab.server.client.Client;
import dev.wslab.server.config.Config;
import dev.wslab.server.metrics.Metrics;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import java.util.UUID;
import org.xnio.StreamConnection;

/**
 * The {@code /ws} endpoint: the handshake, then one {@link Client} per socket. Frames are decoded
 * on the socket's I/O thread and handed to the {@link Dispatcher}, which never blocks.
 */
public final class WsEndpoint implements Handshake.Opened, WebSocketConnection.Endpoint {
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
    public void onConnect(HttpServerExchange exchange, StreamConnection stream, ByteBufferPool buffers) {
        Admission.Admitted admitted = exchange.getAttachment(ADMITTED);
        WebSocketConnection socket = new WebSocketConnection(stream, buffers, config.limits().maxFrameBytes(), this,
                dispatcher.publishLimit());
        Client connection = new Client(UUID.randomUUID().toString(), admitted.lb(), admitted.identity(), socket,
                config.limits().outboundQueueFrames(), metrics);
        socket.start(connection);
        dispatcher.opened(connection);
    }

    @Override
    public void text(Client client, RateLimit publishes, String text) {
        dispatcher.received(client, publishes, text);
    }

    @Override
    public void binary(Client client) {
        metrics.received("binary");
        metrics.error("binary_frame");
        client.close(CloseCodes.BINARY_REFUSED, CloseCodes.BINARY);
    }

    @Override
    public void refused(String error) {
        metrics.error(error);
    }

    @Override
    public void closed(Client client, int code) {
        dispatcher.closed(client, code);
    }
}
