package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's master CLI ({@code -S}, master-worker mode): reloads, and which workers run. A reload
 * makes the master start a new worker on the re-read haproxy.cfg and pass it the listening sockets;
 * the old worker stops accepting and keeps its open connections — WebSocket tunnels included —
 * until they end, or until {@code hard-stop-after} cuts them.
 */
public final class HaproxyMaster {
    private final SocketAddress address;

    public HaproxyMaster(SocketAddress address) {
        this.address = address;
    }

    /** The current worker's pid and the old workers' pids, from {@code show proc}. */
    public record Workers(long current, List<Long> old) { }

    public Workers workers() {
        String answer = command("show proc");
        long current = -1;
        List<Long> old = new ArrayList<>();
        String section = "";
        for (String line : answer.split("\n")) {
            if (line.startsWith("#")) {
                section = line;
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].matches("\\d+") || !f[1].equals("worker")) {
                continue;
            }
            if (section.startsWith("# old workers")) {
                old.add(Long.parseLong(f[0]));
            } else if (section.startsWith("# workers")) {
                current = Long.parseLong(f[0]);
            }
        }
        if (current < 0) {
            throw new IllegalStateException("haproxy's master names no worker: " + answer);
        }
        return new Workers(current, List.copyOf(old));
    }

    /** Asks the master to reload; returns once a new worker has taken over (the old one may live on with its connections). */
    public Workers reload(Duration timeout) {
        long before = awaitAnswering(timeout).current();
        command("reload");
        return await(timeout, now -> now.current() != before, "start a new worker within " + timeout + " of the reload");
    }

    /**
     * The workers, once the master answers: after it forks its worker the master re-executes
     * itself (HAProxy 2.5 on, to shed the parsed configuration) and its CLI refuses connections
     * for that moment, by when the worker already serves; the same happens at every reload.
     */
    public Workers awaitAnswering(Duration timeout) {
        return await(timeout, now -> true, "answer on its master CLI within " + timeout);
    }

    private Workers await(Duration timeout, java.util.function.Predicate<Workers> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() <= deadline) {
            try {
                Workers now = workers();
                if (done.test(now)) {
                    return now;
                }
            } catch (RuntimeException away) {
                last = away;
            }
            ManagedProcess.sleep(50);
        }
        throw new IllegalStateException("haproxy did not " + what, last);
    }

    /** One command; {@code quit} after it, as the master CLI keeps a connection open otherwise. */
    private String command(String command) {
        try {
            return Exchange.send(address, command + ";quit\n").trim();
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy master CLI at " + address + ": " + e.getMessage(), e);
        }
    }
}
