package dev.wslab.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The native lab's Redis Cluster ({@code ./lab up --redis cluster}): 3 masters and 3 replicas from
 * Debian's redis-server on the loopback ports after the single Redis's ({@code redisPort + 1…6},
 * cluster bus ports {@code + 100}), each with a pid file like every lab process. It is created with
 * {@code redis-cli --cluster create} the first time; after that each node's {@code nodes.conf} in
 * its data directory brings it back into the same cluster, so a {@code down} and {@code up} keep
 * the rooms' seqs and histories as the single Redis does with its append-only file.
 *
 * <p>Which Redis the lab runs is kept in {@code run/redis-mode}: a later {@code up}, {@code status}
 * or {@code down} finds the same one without being told again.
 */
final class LabRedisCluster {
    static final int MASTERS = 3;
    static final int REPLICAS = 1;
    static final int BUS_OFFSET = 100;
    /** How many ports from the single Redis's on the cluster uses: its nodes', then their bus ports. */
    static final int PORTS_AFTER_REDIS = BUS_OFFSET + MASTERS * (1 + REPLICAS) + 1;

    private final LabTopology topology;
    private final PrintStream out;

    LabRedisCluster(LabTopology topology, PrintStream out) {
        this.topology = topology;
        this.out = out;
    }

    /** Whether the lab's Redis is the cluster: what {@code up --redis} last chose. */
    static boolean chosen(LabTopology topology) {
        Path mode = modeFile(topology);
        try {
            return Files.isRegularFile(mode) && Files.readString(mode).trim().equals("cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which Redis this and later commands run (see {@link Lab#chooseRedis}): the other one must not be running. */
    void choose(boolean cluster, LabProcesses processes) {
        boolean other = cluster ? processes.isRunning("redis") : ports().stream().anyMatch(p -> processes.isRunning(processName(p)));
        if (other) {
            throw new IllegalStateException("the lab runs the other Redis: ./lab down first");
        }
        choose(topology, cluster);
    }

    Optional<String> cannotFailOver() {
        return chosen(topology) ? Optional.empty()
                : Optional.of("the lab runs one Redis, which has no replica to take over: ./lab down && ./lab up --redis cluster first");
    }

    static void choose(LabTopology topology, boolean cluster) {
        try {
            Files.createDirectories(topology.runDir());
            Files.writeString(modeFile(topology), cluster ? "cluster\n" : "single\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path modeFile(LabTopology topology) {
        return topology.runDir().resolve("redis-mode");
    }

    List<Integer> ports() {
        return topology.redisClusterPorts();
    }

    /** What the nodes are given as {@code WSLAB_REDIS_CLUSTER}. */
    String seeds() {
        return ports().stream().map(p -> topology.host() + ":" + p).collect(Collectors.joining(","));
    }

    static String processName(int port) {
        return "redis-" + port;
    }

    /** Starts the nodes that do not run, creates the cluster if it never was, waits until it serves every slot. */
    void start() {
        List<String> addresses = new ArrayList<>();
        int started = 0;
        for (int port : ports()) {
            String name = processName(port);
            addresses.add(topology.host() + ":" + port);
            if (PidFiles.live(topology.pidFile(name)).isPresent()) {
                continue;
            }
            Path data = topology.runDir().resolve("redis-cluster").resolve(Integer.toString(port));
            RedisServer node = RedisServer.startClusterNode(data, port, LabTopology.redisClusterBusPort(port), topology.logFile(name));
            PidFiles.write(topology.pidFile(name), node.pid(), Integer.toString(port));
            started++;
        }
        if (RedisCluster.info(addresses.get(0)).contains("cluster_known_nodes:1\r")) {
            RedisCluster.create(addresses, REPLICAS);
            out.println("redis      cluster created: " + MASTERS + " masters, " + REPLICAS + " replica each");
        } else {
            RedisCluster.awaitHealthy(addresses, LabProcesses.START_TIMEOUT);
        }
        out.println("redis      cluster " + (started == 0 ? "already running " : "started ") + seeds());
    }

    /**
     * Kills (SIGKILL) the master of the room's slot, waits until the others serve every slot again
     * (its replica took over), then starts it again: it rejoins as a replica and syncs.
     */
    void failOver(String room, LabProcesses processes) {
        cannotFailOver().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        List<String> addresses = ports().stream().map(p -> topology.host() + ":" + p).toList();
        // The room's keys and channel carry the room as their hash tag (RedisKeys): its slot is the room's.
        String master = RedisCluster.masterAddress(addresses, "{" + room + "}");
        int port = Integer.parseInt(master.substring(master.lastIndexOf(':') + 1));
        processes.stop(processName(port), true);
        long killedAt = System.nanoTime();
        List<String> others = addresses.stream().filter(a -> !a.equals(master)).toList();
        // Until the others name another master for the slot: before they notice the death, they
        // still list the dead one, unflagged, and call the cluster ok.
        long deadline = killedAt + LabProcesses.START_TIMEOUT.toNanos();
        for (String now = masterOrNull(others, room); now == null || now.equals(master); now = masterOrNull(others, room)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no replica took over from " + master + " in " + LabProcesses.START_TIMEOUT);
            }
            ManagedProcess.sleep(50);
        }
        RedisCluster.awaitHealthy(others, LabProcesses.START_TIMEOUT);
        out.printf("redis      %s (master of %s's slot) killed; its replica took over in %d ms%n", master, room,
                (System.nanoTime() - killedAt) / 1_000_000);
        start();
        RedisCluster.awaitReplicasOnline(addresses, LabProcesses.START_TIMEOUT);
    }

    private static String masterOrNull(List<String> addresses, String room) {
        try {
            return RedisCluster.masterAddress(addresses, "{" + room + "}");
        } catch (RuntimeException noneYet) {
            return null;
        }
    }

    void stop(LabProcesses processes) {
        for (int port : ports()) {
            processes.stop(processName(port), false);
        }
    }

    /** The status lines: each node's process, then each shard as a running node sees it. */
    List<String> status() {
        List<String> lines = new ArrayList<>();
        String running = null;
        for (int port : ports()) {
            String name = processName(port);
            boolean live = PidFiles.live(topology.pidFile(name)).isPresent();
            lines.add(String.format("%-10s %-8s redis cluster node %s:%d", name,
                    PidFiles.live(topology.pidFile(name)).map(p -> "pid=" + p.pid()).orElse("stopped"), topology.host(), port));
            if (live && running == null) {
                running = topology.host() + ":" + port;
            }
        }
        if (running != null) {
            try {
                RedisCluster.shards(running).forEach(shard -> lines.add("  " + shard));
            } catch (RuntimeException e) {
                lines.add("  shards unknown: " + e.getMessage());
            }
        }
        return lines;
    }
}
