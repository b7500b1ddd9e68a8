package dev.wslab.server.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The node's open connections: counted for heartbeats and closed together on drain. Thread-safe. */
public final class ClientRegistry {
    private final Set<Client> open = ConcurrentHashMap.newKeySet();

    public void add(Client connection) {
        open.add(connection);
    }

    public void remove(Client connection) {
        open.remove(connection);
    }

    public int size() {
        return open.size();
    }

    public void forEach(java.util.function.Consumer<Client> action) {
        open.forEach(action);
    }

    /** Frames waiting in every socket's outbound queue. */
    public long queuedFrames() {
        long sum = 0;
        for (Client connection : open) {
            sum += connection.queued();
        }
        return sum;
    }

    /** Up to {@code count} open connections, chosen at random. */
    public java.util.List<Client> pickOpen(int count, java.util.Random random) {
        java.util.List<Client> candidates = new java.util.ArrayList<>();
        for (Client connection : open) {
            if (connection.isOpen()) {
                candidates.add(connection);
            }
        }
        java.util.Collections.shuffle(candidates, random);
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    public void closeAll(int code, String reason) {
        for (Client connection : open) {
            connection.close(code, reason);
        }
    }
}
