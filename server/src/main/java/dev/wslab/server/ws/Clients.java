package dev.wslab.server.ws;

import dev.wslab.server.Config;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ClientCommand;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.protocol.ProtocolException;
import dev.wslab.server.protocol.ServerEvent;
import dev.wslab.server.rooms.RoomCommands;
import io.undertow.server.HttpServerExchange;

/**
 * What every client goes through whatever its transport: being counted and welcomed, having its
 * commands decoded, rate-limited and run, and being taken out of its rooms when it goes. WebSockets
 * ({@link WsEndpoint}) and HTTP sessions (the {@code transport} package) both come through here, so
 * a client behaves the same on either.
 */
public final class Clients {
    private final Config config;
    private final Codec codec;
    private final RoomCommands commands;
    private final ConnectionRegistry connections;
    private final Metrics metrics;

    public Clients(Config config, Codec codec, RoomCommands commands, ConnectionRegistry connections, Metrics metrics) {
        this.config = config;
        this.codec = codec;
        this.commands = commands;
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Counts the new client and sends its welcome (node, session id, load-balancer policy). */
    public void opened(Connection connection) {
        connections.add(connection);
        metrics.connectionOpened(connection.lb().label());
        connection.send(codec.encode(new ServerEvent.Welcome(config.nodeId(), connection.session(), connection.lb().label())));
    }

    /** The client is gone (closed with {@code code}): out of its rooms and out of the count. */
    public void closed(Connection connection, int code) {
        connections.remove(connection);
        commands.disconnected(connection);
        metrics.connectionClosed(connection.lb().label(), code);
    }

    /** A per-client publish limit, the same for every transport. */
    public RateLimit publishLimit() {
        return new RateLimit(config.publishRate(), System.nanoTime());
    }

    /** One command as text: decoded, limited and run; a bad one is answered with an error event. */
    public void received(Connection connection, RateLimit publishes, String text) {
        connection.heard();
        ClientCommand command;
        try {
            command = codec.decode(text);
        } catch (ProtocolException e) {
            metrics.received("invalid");
            commands.sendError(connection, e);
            return;
        }
        metrics.received(command.getClass().getSimpleName().toLowerCase());
        boolean limited = command instanceof ClientCommand.Publish || command instanceof ClientCommand.Incr;
        if (limited && !publishes.tryAcquire(System.nanoTime())) {
            commands.sendError(connection, new ProtocolException(ErrorCode.RATE_LIMITED,
                    "more than " + config.publishRate() + " publishes per second; this one was dropped", command.id()));
            return;
        }
        commands.handle(connection, command);
    }

    /**
     * The client's token: {@code Authorization: Bearer …}, or {@code ?token=…} for browsers, which
     * cannot set headers on a WebSocket or an EventSource. Null when there is none.
     */
    public static String token(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return authorization.substring("Bearer ".length()).trim();
        }
        return exchange.getQueryParameters().containsKey("token") ? exchange.getQueryParameters().get("token").getFirst() : null;
    }

    public Lb lb(HttpServerExchange exchange) {
        return Lb.fromHeader(exchange.getRequestHeaders().getFirst(config.lbHeader()));
    }
}
