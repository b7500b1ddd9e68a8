package dev.wslab.server.rooms;

import dev.wslab.server.broker.Broker;
import dev.wslab.server.ws.Connection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which local connections are in which room, and the node's bus subscriptions that follow from it:
 * a room is subscribed when its first local member joins and unsubscribed when its last leaves.
 *
 * <p>Both transitions happen inside {@link ConcurrentHashMap#compute}, so joins and leaves of one room
 * are serialized and the subscribe/unsubscribe commands reach the bus in the same order.
 */
public final class RoomRegistry {
    private final Broker broker;
    private final Consumer<String> unsubscribed;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    private record Room(Set<Connection> members, CompletionStage<Void> subscribed) {}

    /** {@code unsubscribed} hears of each room this node stops receiving (its last member left). */
    public RoomRegistry(Broker broker, Consumer<String> unsubscribed) {
        this.broker = broker;
        this.unsubscribed = unsubscribed;
    }

    /** Adds the member; completes once this node receives the room's events. */
    public CompletionStage<Void> join(String room, Connection connection) {
        Room joined = rooms.compute(room, (name, existing) -> {
            Room r = existing != null ? existing
                    : new Room(ConcurrentHashMap.newKeySet(), broker.subscribe(name));
            r.members().add(connection);
            return r;
        });
        return joined.subscribed();
    }

    /** Removes the member; returns false when it was not in the room. */
    public boolean leave(String room, Connection connection) {
        boolean[] removed = {false};
        rooms.computeIfPresent(room, (name, r) -> {
            removed[0] = r.members().remove(connection);
            if (r.members().isEmpty()) {
                broker.unsubscribe(name);
                unsubscribed.accept(name);
                return null;
            }
            return r;
        });
        return removed[0];
    }

    public Set<Connection> members(String room) {
        Room r = rooms.get(room);
        return r == null ? Collections.emptySet() : r.members();
    }

    public int size() {
        return rooms.size();
    }
}
