package dev.wslab.server.commands;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.client.RateLimit;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ClientCommand;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.protocol.ProtocolException;
import dev.wslab.server.protocol.ServerEvent;

/**
 * What every client goes through whatever its transport: being counted and welcomed, having its
 * commands decoded, rate-limited and run, and being taken out of its rooms when it goes. WebSockets
 * (the {@code ws} package) and HTTP sessions (the {@code transport} package) are adapters that call
 * these three methods, so a client behaves the same on either.
 */
public final class Dispatcher {
    private final String nodeId;
    private final int publishRate;
    private final Codec codec;
    private final RoomCommands commands;
    private final ClientRegistry clients;
    private final Metrics metrics;

    public Dispatcher(String nodeId, int publishRate, Codec codec, RoomCommands commands, ClientRegistry clients, Metrics metrics) {
        this.nodeId = nodeId;
        this.publishRate = publishRate;
        this.codec = codec;
        this.commands = commands;
        this.clients = clients;
        this.metrics = metrics;
    }

    /** Counts the new client and sends its welcome (node, session id, load-balancer policy). */
    public void opened(Client client) {
        clients.add(client);
        metrics.connectionOpened(client.lb().label());
        client.send(codec.encode(new ServerEvent.Welcome(nodeId, client.session(), client.lb().label())));
    }

    /** The client is gone (closed with {@code code}): out of its rooms and out of the count. */
    public void closed(Client client, int code) {
        clients.remove(client);
        commands.disconnected(client);
        metrics.connectionClosed(client.lb().label(), code);
    }

    /** A per-client publish limit, the same for every transport. */
    public RateLimit publishLimit() {
        return new RateLimit(publishRate, System.nanoTime());
    }

    /** One command as text: decoded, limited and run; a bad one is answered with an error event. */
    public void received(Client client, RateLimit publishes, String text) {
        client.heard();
        ClientCommand command;
        try {
            command = codec.decode(text);
        } catch (ProtocolException e) {
            metrics.received("invalid");
            commands.sendError(client, e);
            return;
        }
        metrics.received(command.getClass().getSimpleName().toLowerCase());
        if (command instanceof ClientCommand.Ping ping) {
            // No Redis on the way: a pong says this connection and this node are alive, nothing more.
            client.send(codec.encode(new ServerEvent.Pong(ping.id())));
            return;
        }
        boolean limited = command instanceof ClientCommand.Publish || command instanceof ClientCommand.Incr;
        if (limited && !publishes.tryAcquire(System.nanoTime())) {
            commands.sendError(client, new ProtocolException(ErrorCode.RATE_LIMITED,
                    "more than " + publishRate + " publishes per second; this one was dropped", command.id()));
            return;
        }
        commands.handle(client, command);
    }
}
