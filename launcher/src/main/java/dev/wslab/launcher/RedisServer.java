package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The lab's own redis-server, never the system one: its own port on 127.0.0.1, its own data
 * directory, configured on the command line. The append-only file is on, so a restart keeps room
 * seqs and counters — the lab restarts Redis on purpose and clients must not see seq go backwards.
 */
public final class RedisServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dataDir;
    private final int port;
    /** The cluster bus port of a Redis Cluster node; 0 for a Redis on its own. */
    private final int busPort;
    private final Path logFile;
    private ManagedProcess process;

    private RedisServer(Path dataDir, int port, int busPort, Path logFile) {
        this.dataDir = dataDir;
        this.port = port;
        this.busPort = busPort;
        this.logFile = logFile;
    }

    public static RedisServer start(Path dataDir, int port) {
        return start(dataDir, port, dataDir.resolve("redis.log"));
    }

    public static RedisServer start(Path dataDir, int port, Path logFile) {
        RedisServer server = new RedisServer(dataDir, port, 0, logFile);
        server.launch();
        return server;
    }

    /**
     * A Redis Cluster node, not yet in a cluster ({@link RedisCluster} joins them): its cluster bus on
     * {@code busPort} (chosen free, not the default port + 10000), its cluster state file in its data
     * directory, and a node timeout of 2 s so a failover in the lab takes seconds, not the default 15.
     */
    public static RedisServer startClusterNode(Path dataDir, int port, int busPort, Path logFile) {
        RedisServer server = new RedisServer(dataDir, port, busPort, logFile);
        server.launch();
        return server;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private synchronized void launch() {
        Path binary = Binaries.require("redis-server", "redis-server");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dataDir.toAbsolutePath().toString(),
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
                "--daemonize", "no", "--protected-mode", "no", "--logfile", ""));
        if (busPort > 0) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
        }
        process = ManagedProcess.start("redis-" + port, command, Map.of(), logFile);
        process.awaitTcpPort(HOST, port, START_TIMEOUT);
        awaitPong();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (RuntimeException loading) {
                // LOADING while the append-only file is replayed: wait for it.
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis on " + port + " never answered PING: " + loading.getMessage()
                            + "\n" + process.tail(20));
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    public int port() {
        return port;
    }

    public int busPort() {
        return busPort;
    }

    /** host:port, as a Redis Cluster names its nodes. */
    public String address() {
        return HOST + ":" + port;
    }

    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** One command over RESP; see {@link Resp} for the shape of the reply. */
    public Object command(String... args) {
        return Resp.call(HOST, port, args);
    }

    /** SIGKILL: what a crashed master looks like to its replicas and to the nodes. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
            ManagedProcess.awaitPortFree(HOST, port, Duration.ofSeconds(10));
        }
    }

    /**
     * SIGSTOP, then SIGCONT with {@link #resume}: a Redis that is alive but answers nothing — a
     * replica that falls behind its master, as replication lag or a slow disk makes one.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("redis-" + port + " is not running");
        }
        Command.Result result = Command.run(Duration.ofSeconds(5), List.of("kill", "-" + name, Long.toString(process.pid())));
        if (!result.ok()) {
            throw new IllegalStateException("kill -" + name + " redis-" + port + ": " + result.output());
        }
    }

    /** Stops it gracefully (SIGTERM: Redis flushes its append-only file) and waits for the port to be free. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
            process = null;
            ManagedProcess.awaitPortFree(HOST, port, Duration.ofSeconds(10));
        }
    }

    /** Stops it if it runs, and starts it again on the same port and data. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }
}
