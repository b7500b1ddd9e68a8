package dev.wslab.launcher;

import dev.wslab.settings.NodeSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Process supervision for the native lab: starts Redis and the nodes, waits until they are ready,
 * and stops any lab process through its pid file. Pid files are the lab's memory between commands,
 * so {@code up}, {@code down} and {@code status} find the processes an earlier command started.
 */
final class LabProcesses {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LabTopology topology;
    private final PrintStream out;
    private final NodeHttp http;
    private final NodePlacement placement;

    LabProcesses(LabTopology topology, PrintStream out, NodeHttp http, NodePlacement placement) {
        this.topology = topology;
        this.out = out;
        this.http = http;
        this.placement = placement;
    }

    boolean isRunning(String process) {
        return PidFiles.live(topology.pidFile(process)).isPresent();
    }

    /** Every node-N with a pid file, highest first, whatever node count the topology says. */
    List<String> startedNodes() {
        Path pids = topology.pidFile("x").getParent();
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(pids)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.startsWith("node-") && name.endsWith(".pid"))
                    .map(name -> name.substring(0, name.length() - ".pid".length()))
                    .sorted(java.util.Comparator.reverseOrder())
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Optional<Integer> highestStartedNode() {
        return startedNodes().stream().map(n -> Integer.parseInt(n.substring("node-".length()))).max(Integer::compare);
    }

    /** The lab's Redis: the single redis-server, or the Redis Cluster when {@code up --redis cluster} chose it. */
    void startRedis() {
        if (LabRedisCluster.chosen(topology)) {
            new LabRedisCluster(topology, out).start();
            return;
        }
        if (isRunning("redis")) {
            out.println("redis      already running");
            return;
        }
        RedisServer redis = RedisServer.start(topology.redisDir(), topology.redisPort(), topology.logFile("redis"));
        PidFiles.write(topology.pidFile("redis"), redis.pid(), Integer.toString(topology.redisPort()));
        placement.bindRedisToNamespaces();
        out.println("redis      started " + topology.redisUri());
    }

    void startNode(int index) {
        String id = topology.nodeId(index);
        if (isRunning(id)) {
            out.println(String.format("%-10s already running", id));
            return;
        }
        int port = topology.nodePort(index);
        String host = placement.nodeHost(index);
        ManagedProcess.awaitPortFree(host, port, Duration.ofSeconds(10));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dwslab.lab.process=" + id));
        command.addAll(topology.nodeJvmFlags());
        command.addAll(List.of("-jar", topology.serverJar().toString()));
        Map<String, String> env = new java.util.LinkedHashMap<>(topology.nodeEnv(index));
        if (LabRedisCluster.chosen(topology)) {
            env.remove(NodeSettings.REDIS_URI.env());
            env.put(NodeSettings.REDIS_CLUSTER.env(), new LabRedisCluster(topology, out).seeds());
        }
        NodeNamespace namespace = placement.namespace(index);
        if (namespace.exists()) {
            // `ip netns exec` execs the JVM itself, so the pid below is still the node's.
            command = namespace.wrap(command);
            env.put(NodeSettings.HOST.env(), namespace.nodeIp());
            env.put(NodeSettings.REDIS_URI.env(), "redis://" + namespace.hostIp() + ":" + topology.redisPort());
        }
        ManagedProcess node = ManagedProcess.start(id, command, env, topology.logFile(id));
        PidFiles.write(topology.pidFile(id), node.pid(), "wslab.lab.process=" + id);
        node.awaitTcpPort(host, port, START_TIMEOUT);
        awaitHealthy(node, host, port);
        out.println(String.format("%-10s started ws://%s:%d/ws (pid %d)", id, host, port, node.pid()));
    }

    private void awaitHealthy(ManagedProcess node, String host, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException(node.name() + " exited; end of its log:\n" + node.tail(20));
            }
            if (http.status(host, port, "/health") == 200) {
                return;
            }
            ManagedProcess.sleep(100);
        }
        throw new IllegalStateException(node.name() + " not healthy after " + START_TIMEOUT + ":\n" + node.tail(20));
    }

    /** Stops the lab's Redis: the single one and the cluster's nodes, whichever runs. */
    void stopRedis() {
        stop("redis", false);
        new LabRedisCluster(topology, out).stop(this);
    }

    /** SIGTERM, or SIGKILL when {@code hard}; says so only if the process was running. */
    void stop(String process, boolean hard) {
        if (PidFiles.stop(topology.pidFile(process), STOP_GRACE, hard)) {
            out.println(String.format("%-10s %s", process, hard ? "killed" : "stopped"));
        }
    }

    void requireServerJar() {
        if (!Files.isRegularFile(topology.serverJar())) {
            throw new IllegalStateException(topology.serverJar() + " is missing: build it with "
                    + "mvn -q -DskipTests package (./lab does this for you)");
        }
    }
}
