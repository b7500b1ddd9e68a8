package dev.wslab.server.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.Replay;
import dev.wslab.server.client.Client;
import dev.wslab.server.hub.Hub;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ClientCommand;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.protocol.ProtocolException;
import dev.wslab.server.protocol.ServerEvent;
import dev.wslab.server.broker.Replay;
import dev.wslab.server.state.MemberCounts;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What a room command does, for WebSocket clients and for the HTTP API alike. Nothing here blocks:
 * each step is a stage on the bus or the state store, and replies go out when it completes.
 */
public final class RoomCommands {
    private final String nodeId;
    private final Codec codec;
    private final Broker broker;
    private final MemberCounts state;
    private final Hub hub;
    private final Presence presence;
    private final Metrics metrics;
    private final Clock clock;
    private final int maxRoomsPerConnection;
    private final int historyLength;

    public RoomCommands(String nodeId, Codec codec, Broker broker, MemberCounts state, Hub hub, Presence presence,
            Metrics metrics, Clock clock, int maxRoomsPerConnection, int historyLength) {
        this.presence = presence;
        this.nodeId = nodeId;
        this.codec = codec;
        this.broker = broker;
        this.state = state;
        this.hub = hub;
        this.metrics = metrics;
        this.clock = clock;
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        this.historyLength = historyLength;
    }

    public void handle(Client connection, ClientCommand command) {
        // Leaving is always allowed: a token that lost a room must not keep the client in it.
        if (!(command instanceof ClientCommand.Leave) && !connection.identity().mayUse(command.room())) {
            sendError(connection, new ProtocolException(ErrorCode.FORBIDDEN,
                    "your token does not allow room " + command.room(), command.id()));
            return;
        }
        if (command instanceof ClientCommand.Join join) {
            join(connection, join);
        } else if (command instanceof ClientCommand.Leave leave) {
            leave(connection, leave);
        } else if (command instanceof ClientCommand.Publish publish) {
            publish(publish.room(), publish.body()).whenComplete((seq, error) -> reply(connection, publish.id(), error,
                    () -> new ServerEvent.Ack(publish.id(), publish.room(), seq, null)));
        } else if (command instanceof ClientCommand.Incr incr) {
            increment(incr.room()).whenComplete((counter, error) -> reply(connection, incr.id(), error,
                    () -> new ServerEvent.Ack(incr.id(), incr.room(), null, counter)));
        }
    }

    /** Numbers the message and broadcasts it to the room on every node; completes with its seq. */
    public CompletionStage<Long> publish(String room, JsonNode body) {
        long start = System.nanoTime();
        return broker.publishNumbered(room, Broker.Number.SEQ,
                        codec.messageTemplate(room, body, nodeId, clock.millis()))
                .whenComplete((seq, error) -> {
                    if (error == null) {
                        metrics.busPublished(System.nanoTime() - start);
                    }
                });
    }

    public CompletionStage<Long> increment(String room) {
        return broker.publishNumbered(room, Broker.Number.COUNTER, codec.counterTemplate(room, nodeId));
    }

    private void join(Client connection, ClientCommand.Join join) {
        String room = join.room();
        if (hub.isIn(connection, room)) {
            sendError(connection, new ProtocolException(ErrorCode.ALREADY_JOINED, "already in room " + room, join.id()));
            return;
        }
        if (hub.roomCount(connection) >= maxRoomsPerConnection) {
            sendError(connection, new ProtocolException(ErrorCode.TOO_MANY_ROOMS,
                    "at most " + maxRoomsPerConnection + " rooms per connection", join.id()));
            return;
        }
        Hub.Joining joining = hub.join(room, connection);
        joining.subscribed()
                .thenCompose(subscribed -> state.memberJoined(room))
                .thenCompose(members -> {
                    presence.changed(room);
                    return snapshot(room);
                })
                .thenCompose(snapshot -> missedSince(join.since(), snapshot)
                        .thenApply(replay -> new JoinResult(snapshot, replay)))
                .whenComplete((result, error) -> {
                    if (error != null) {
                        hub.joinFailed(joining);
                        sendError(connection, unavailable(error, join.id()));
                        return;
                    }
                    RoomSnapshot snapshot = result.snapshot();
                    Long resumed = null;
                    Long missed = null;
                    if (join.since() != null) {
                        // Whatever the history no longer holds is said, never skipped silently.
                        long wanted = Math.max(0, snapshot.seq() - join.since());
                        resumed = (long) result.replay().frames().size();
                        missed = wanted - resumed;
                        metrics.resumed(missed == 0);
                    }
                    byte[] joined = codec.encode(new ServerEvent.Joined(room, snapshot.seq(), snapshot.counter(),
                            snapshot.members(), resumed, missed, join.id()));
                    hub.joinCompleted(joining, joined, snapshot.seq(), result.replay().frames());
                });
    }

    private record JoinResult(RoomSnapshot snapshot, Replay replay) {}

    /** The messages after {@code since} up to the snapshot's seq, as far as the history reaches. */
    private CompletionStage<Replay> missedSince(Long since, RoomSnapshot snapshot) {
        if (since == null || since >= snapshot.seq()) {
            return CompletableFuture.completedFuture(Replay.EMPTY);
        }
        int wanted = (int) Math.min(snapshot.seq() - since, historyLength);
        return broker.history(snapshot.room(), since, wanted).thenApply(replay -> {
            // A resume must be gapless from since + 1: a history that starts later only counts as missed.
            if (replay.firstSeq() != since + 1) {
                return Replay.EMPTY;
            }
            return replay;
        });
    }

    private void leave(Client connection, ClientCommand.Leave leave) {
        if (!hub.leave(leave.room(), connection)) {
            sendError(connection, new ProtocolException(ErrorCode.NOT_JOINED, "not in room " + leave.room(), leave.id()));
            return;
        }
        departed(leave.room());
        connection.send(codec.encode(new ServerEvent.Left(leave.room(), leave.id())));
    }

    /** Takes a closed connection out of all its rooms. */
    public void disconnected(Client connection) {
        hub.leaveAll(connection).forEach(this::departed);
    }

    /** One local member fewer: the shared count goes down and the room hears of it. */
    private void departed(String room) {
        state.memberLeft(room).thenAccept(members -> presence.changed(room));
    }

    /** The room as the whole cluster sees it: the bus's numbers and the members on every live node. */
    public CompletionStage<RoomSnapshot> snapshot(String room) {
        return broker.numbers(room).thenCombine(state.members(room),
                (numbers, members) -> new RoomSnapshot(room, numbers.seq(), numbers.counter(), members));
    }

    private void reply(Client connection, String id, Throwable error, java.util.function.Supplier<ServerEvent> ok) {
        if (error != null) {
            sendError(connection, unavailable(error, id));
        } else if (id != null) {
            connection.send(codec.encode(ok.get()));
        }
    }

    public void sendError(Client connection, ProtocolException error) {
        metrics.error(error.code().wire());
        connection.send(codec.encode(error.toEvent()));
    }

    /** A failure of the bus or the state store, as the error a client or HTTP caller is given. */
    public static ProtocolException unavailable(Throwable error, String id) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new ProtocolException(ErrorCode.UNAVAILABLE,
                ErrorCode.UNAVAILABLE.meaning() + " (" + cause.getClass().getSimpleName() + ")", id);
    }
}
