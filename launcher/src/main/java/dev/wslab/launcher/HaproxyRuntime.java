package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's runtime API over its admin socket: one command per connection, answer read to EOF.
 * Used to drain and re-enable servers, to add servers beyond the three in haproxy.cfg, and to read
 * server states for {@code ./lab status}. (No socat here: the JDK speaks Unix sockets itself.)
 * Natively the API is a Unix socket in the run folder; under docker-compose it listens on TCP on
 * the compose network, for the runner in the loadtest container.
 */
public final class HaproxyRuntime {
    public static final List<String> BACKENDS = List.of("sticky", "roundrobin", "weighted", "affinity", "random");
    /** How long a deleted server's connections may take to close after its sessions are shut. */
    private static final java.time.Duration DELETE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final SocketAddress socket;

    public HaproxyRuntime(Path socket) {
        this.socket = UnixDomainSocketAddress.of(socket);
    }

    public HaproxyRuntime(InetSocketAddress socket) {
        this.socket = socket;
    }

    public String command(String command) {
        try {
            return Exchange.send(socket, command + "\n").trim();
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy runtime API at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Sets the server's admin state (ready, drain, maint) in every backend. */
    public void setState(String server, String state) {
        for (String backend : BACKENDS) {
            expectEmpty(command("set server " + backend + "/" + server + " state " + state));
        }
    }

    /** Points the server at another address in every backend (a node that moved into a namespace). */
    public void setAddress(String server, String ip, int port) {
        for (String backend : BACKENDS) {
            String answer = command("set server " + backend + "/" + server + " addr " + ip + " port " + port);
            if (!answer.startsWith("IP changed") && !answer.startsWith("no need to change")) {
                throw new IllegalStateException("haproxy refused the new address of " + backend + "/" + server + ": " + answer);
            }
        }
    }

    /**
     * Adds a server to every backend at run time, with the same health check as the rest; its
     * sticky cookie is derived from its address (haproxy.cfg's dynamic cookies).
     */
    public void addServer(String server, String address, int agentPort) {
        for (String backend : BACKENDS) {
            boolean weighted = backend.equals("weighted");
            expectAdded(command("add server " + backend + "/" + server + " " + address
                    + " check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions"
                    + (weighted ? " weight 100 agent-check agent-port " + agentPort + " agent-inter 1s" : "")));
            expectEmpty(command("enable health " + backend + "/" + server));
            if (weighted) {
                expectEmpty(command("enable agent " + backend + "/" + server));
            }
            expectEmpty(command("enable server " + backend + "/" + server));
        }
    }

    /**
     * Removes a server added at run time from every backend; it must be in maintenance first. The
     * sessions it still has are shut first, and HAProxy refuses the delete until their connections
     * are gone, which takes a moment after the shutdown: the delete is retried until then.
     */
    public void deleteServer(String server) {
        for (String backend : BACKENDS) {
            long deadline = System.nanoTime() + DELETE_TIMEOUT.toNanos();
            while (true) {
                command("shutdown sessions server " + backend + "/" + server);
                String answer = command("del server " + backend + "/" + server);
                if (answer.startsWith("Server deleted")) {
                    break;
                }
                if (!answer.contains("still has connections") || System.nanoTime() > deadline) {
                    throw new IllegalStateException("haproxy refused to delete " + backend + "/" + server + ": " + answer);
                }
                ManagedProcess.sleep(100);
            }
        }
    }

    /** The weight HAProxy currently gives the server in a backend ({@code get weight}: "current (initial)"). */
    public int weight(String backend, String server) {
        String answer = command("get weight " + backend + "/" + server);
        try {
            return Integer.parseInt(answer.split(" ")[0]);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("haproxy answered get weight with: " + answer, e);
        }
    }

    /**
     * Operational state per "backend/server": UP, DOWN, DRAIN, MAINT (from {@code show stat}).
     */
    public Map<String, String> serverStates() {
        Map<String, String> states = new LinkedHashMap<>();
        String[] lines = command("show stat").split("\n");
        if (lines.length == 0) {
            return states;
        }
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        int sessions = header.indexOf("scur");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length <= status || !BACKENDS.contains(f[px]) || f[sv].equals("BACKEND") || f[sv].equals("FRONTEND")) {
                continue;
            }
            states.put(f[px] + "/" + f[sv], f[status] + " sessions=" + f[sessions]);
        }
        return states;
    }

    /**
     * Sessions each "backend/server" has taken since HAProxy started ({@code stot}): the difference
     * over a run is how many connections the policy sent to each node.
     */
    public Map<String, Long> sessionTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        String[] lines = command("show stat").split("\n");
        if (lines.length == 0) {
            return totals;
        }
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int stot = header.indexOf("stot");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length <= stot || !BACKENDS.contains(f[px]) || f[sv].equals("BACKEND") || f[sv].equals("FRONTEND")) {
                continue;
            }
            totals.put(f[px] + "/" + f[sv], Long.parseLong(f[stot]));
        }
        return totals;
    }

    /** Waits until each of {@code servers} servers is UP in every backend (health checks need a moment). */
    public void awaitUp(int servers, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int expected = servers * BACKENDS.size();
        while (serverStates().values().stream().filter(s -> s.startsWith("UP")).count() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("haproxy does not see " + servers + " servers up: " + serverStates());
            }
            ManagedProcess.sleep(200);
        }
    }

    private static void expectEmpty(String answer) {
        if (!answer.isEmpty()) {
            throw new IllegalStateException("haproxy refused: " + answer);
        }
    }

    private static void expectAdded(String answer) {
        if (!answer.startsWith("New server registered")) {
            throw new IllegalStateException("haproxy refused to add a server: " + answer);
        }
    }

}
