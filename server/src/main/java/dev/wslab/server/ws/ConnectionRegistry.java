package dev.wslab.server.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The node's open connections: counted for heartbeats and closed together on drain. Thread-safe. */
public final class ConnectionRegistry {
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    void add(Connection connection) {
        open.add(connection);
    }

    void remove(Connection connection) {
        open.remove(connection);
    }

    public int size() {
        return open.size();
    }

    public void forEach(java.util.function.Consumer<Connection> action) {
        open.forEach(action);
    }

    /** Frames waiting in every socket's outbound queue. */
    public long queuedFrames() {
        long sum = 0;
        for (Connection connection : open) {
            sum += connection.queued();
        }
        return sum;
    }

    /** Up to {@code count} open connections, chosen at random. */
    public java.util.List<Connection> pickOpen(int count, java.util.Random random) {
        java.util.List<Connection> candidates = new java.util.ArrayList<>();
        for (Connection connection : open) {
            if (connection.isOpen()) {
                candidates.add(connection);
            }
        }
        java.util.Collections.shuffle(candidates, random);
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    public void closeAll(int code, String reason) {
        for (Connection connection : open) {
            connection.close(code, reason);
        }
    }
}
