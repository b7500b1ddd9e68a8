package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the sockets of {@link LeanClients} end, counted: a bench stops, or distrusts its numbers, on a
 * failed upgrade or a socket the server closed, and reports the failures by cause. Ending a socket
 * and counting it are one step, so that no end goes uncounted or is counted twice. The counters are
 * written on the selector thread and read by the thread driving the bench; the causes are guarded
 * by this object's lock.
 */
final class ConnEnds {
    private final Map<String, Integer> failures = new TreeMap<>();
    private volatile long failed;
    private volatile long closedByServer;

    long failed() {
        return failed;
    }

    long closedByServer() {
        return closedByServer;
    }

    synchronized Map<String, Integer> failures() {
        return new TreeMap<>(failures);
    }

    /** The selector itself failed: no socket to blame, but the cause still shows in the report. */
    synchronized void selectorFailed(IOException e) {
        failures.merge("selector: " + e.getMessage(), 1, Integer::sum);
    }

    void close(LeanConn c, SelectionKey key, boolean byServer) throws IOException {
        if (!c.closed) {
            c.closed = true;
            if (byServer) {
                closedByServer++;
            }
        }
        key.cancel();
        c.channel.close();
    }

    void fail(LeanConn c, Exception e) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        if (!c.upgraded) {
            failed++;
        } else {
            closedByServer++;
        }
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        synchronized (this) {
            failures.merge(cause, 1, Integer::sum);
        }
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
    }
}
