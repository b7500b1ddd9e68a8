package dev.wslab.loadtest.bench;

import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.ManagedProcess;
import dev.wslab.launcher.NodeHttp;
import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import dev.wslab.settings.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side of the bus bench: a Redis (one redis-server, or a Redis Cluster of 3 masters with a
 * replica each) and N real node processes on it, all started here on free loopback ports and stopped
 * by {@link #close}. Not the lab's own: the two Redis set-ups must take turns in one run, and a fresh
 * start per repeat leaves no room history from the previous one behind. The lab's nodes stay down
 * meanwhile, so that on two cores they take nothing from the measured processes.
 */
final class BusTarget implements AutoCloseable {
    static final String SINGLE = "single";
    static final String CLUSTER = "cluster";
    static final List<String> ALL = List.of(SINGLE, CLUSTER);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String key;
    private final RedisServer single;
    private final RedisCluster cluster;
    private final List<ManagedProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private BusTarget(String key, RedisServer single, RedisCluster cluster) {
        this.key = key;
        this.single = single;
        this.cluster = cluster;
    }

    /** Redis and {@code count} nodes up and healthy; data and logs under {@code dir}. */
    static BusTarget start(String key, LabTopology topology, int count, Map<String, String> settings, Path dir) {
        BusTarget target = switch (key) {
            case SINGLE -> new BusTarget(key, RedisServer.start(dir.resolve("redis"), FreePorts.find(), dir.resolve("redis.log")), null);
            case CLUSTER -> new BusTarget(key, null, RedisCluster.start(dir.resolve("redis-cluster"), 3, 1));
            default -> throw new IllegalArgumentException("bus targets are " + String.join(",", ALL));
        };
        try {
            for (int i = 1; i <= count; i++) {
                target.startNode(topology, i, settings, dir);
            }
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private void startNode(LabTopology topology, int index, Map<String, String> settings, Path dir) {
        int port = FreePorts.find();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(NodeSettings.NODE_ID.env(), "bus-node-" + index);
        env.put(NodeSettings.HOST.env(), HOST);
        env.put(NodeSettings.PORT.env(), Integer.toString(port));
        if (single != null) {
            env.put(NodeSettings.REDIS_URI.env(), single.uri());
        } else {
            env.put(NodeSettings.REDIS_CLUSTER.env(), cluster.seeds());
        }
        env.putAll(settings);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(topology.nodeJvmFlags());
        command.addAll(List.of("-jar", topology.serverJar().toString()));
        String name = key + "-node-" + index;
        ManagedProcess node = ManagedProcess.start(name, command, env, dir.resolve(name + ".log"));
        nodes.add(node);
        node.awaitTcpPort(HOST, port, START_TIMEOUT);
        NodeHttp http = new NodeHttp();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (http.status(HOST, port, "/health") != 200) {
            if (!node.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " never became healthy; end of its log:\n" + node.tail(20));
            }
            ManagedProcess.sleep(100);
        }
        ports.add(port);
    }

    /** What the tables call it. */
    String name() {
        return key.equals(SINGLE) ? "single Redis" : "Redis Cluster 3+3";
    }

    String key() {
        return key;
    }

    String host() {
        return HOST;
    }

    List<Integer> nodePorts() {
        return List.copyOf(ports);
    }

    List<Long> nodePids() {
        return nodes.stream().map(ManagedProcess::pid).toList();
    }

    /** Every redis-server of the target, replicas included: they replay each write and each shard message. */
    List<Long> redisPids() {
        return single != null ? List.of(single.pid()) : cluster.servers().stream().map(RedisServer::pid).toList();
    }

    /** The redis-servers that are masters now (the single one, or the cluster's three). */
    List<Long> masterPids() {
        if (single != null) {
            return List.of(single.pid());
        }
        return cluster.servers().stream().filter(s -> s.command("INFO", "replication").toString().contains("role:master"))
                .map(RedisServer::pid).toList();
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.stop(Duration.ofSeconds(10)));
        if (single != null) {
            single.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
