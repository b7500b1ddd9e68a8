package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import dev.wslab.launcher.FreePorts;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.ManagedProcess;
import dev.wslab.launcher.PidFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a fanout is measured against, by key: the floors and the Node.js peers, which the bench starts
 * itself, and the lab's nodes. Each target knows the processes that serve it — whose CPU prices a
 * delivery — and how to start them afresh, for the cold figures.
 */
final class Targets implements AutoCloseable {
    /** Every key, in the order the tables list them. */
    static final List<String> ALL = List.of("floor", "naive", "node", "nodes2", "nodes", "haproxy", "peer", "peers2");
    /** The Node.js peer: {@code ws} and {@code ioredis}, wslab's protocol for join, publish and message. */
    static final String PEER_DIR = "loadtest/peers/node-ws";

    private final LabTopology topology;
    private final Lab lab;
    private final Path results;
    private final String ioThreads;
    /** The processes this class started, by the name of the target they serve. */
    private final Map<String, List<Started>> started = new LinkedHashMap<>();

    /** A process this class started: how to start it again. */
    private record Started(String name, List<String> command, String host, int port, ManagedProcess[] process) {}

    Targets(LabTopology topology, Lab lab, Path results, String ioThreads) {
        this.topology = topology;
        this.lab = lab;
        this.results = results;
        this.ioThreads = ioThreads;
    }

    /** The targets of {@code keys}, in {@link #ALL}'s order, starting the processes they need. */
    List<Fanout.Target> of(List<String> keys) {
        List<Fanout.Target> targets = new ArrayList<>();
        ALL.stream().filter(keys::contains).forEach(key -> targets.add(target(key)));
        return targets;
    }

    private Fanout.Target target(String key) {
        String host = topology.host();
        String join = "{\"type\":\"join\",\"room\":\"bench\"}";
        String prefix = "{\"type\":\"publish\",\"room\":\"bench\",\"body\":{\"t\":";
        String suffix = "}}";
        return switch (key) {
            case "floor" -> floor("floor", "batched");
            case "naive" -> floor("floor, naive", "naive");
            case "node" -> new Fanout.Target("node ×1", host, nodePorts(1), topology.nodePort(1), join, prefix, suffix,
                    nodes(1, false), restartNodes(1));
            case "nodes2" -> new Fanout.Target("nodes ×2", host, nodePorts(2), topology.nodePort(1), join, prefix, suffix,
                    nodes(2, false), restartNodes(2));
            case "nodes" -> new Fanout.Target("nodes ×3", host, nodePorts(3), topology.nodePort(1), join, prefix, suffix,
                    nodes(3, false), restartNodes(3));
            case "haproxy" -> new Fanout.Target("nodes ×3 via HAProxy", host, List.of(topology.roundRobinPort()),
                    topology.roundRobinPort(), join, prefix, suffix, nodes(3, true), restartNodes(3));
            case "peer" -> peers("Node.js peer ×1", 1, join, prefix, suffix);
            case "peers2" -> peers("Node.js peers ×2", 2, join, prefix, suffix);
            default -> throw new IllegalArgumentException("targets are " + String.join(",", ALL));
        };
    }

    private Fanout.Target floor(String name, String mode) {
        int port = start(name, javaCommand(FloorServer.class.getName(), mode), port());
        return new Fanout.Target(name, topology.host(), List.of(port), port, null, "{\"t\":", "}", pids(name), restartOwn(name));
    }

    private Fanout.Target peers(String name, int count, String join, String prefix, String suffix) {
        Path dir = topology.home().resolve(PEER_DIR);
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("the Node.js peer needs its packages: npm ci --prefix " + dir);
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int port = port();
            ports.add(start(name, List.of("node", dir.resolve("server.mjs").toString(), "--host", topology.host(),
                    "--port", Integer.toString(port), "--redis", topology.host() + ":" + topology.redisPort(),
                    "--node-id", "peer-" + i), port));
        }
        Supplier<List<Long>> own = pids(name);
        return new Fanout.Target(name, topology.host(), ports, ports.get(0), join, prefix, suffix, () -> {
            List<Long> pids = new ArrayList<>(own.get());
            pids.add(pid("redis"));
            return pids;
        }, restartOwn(name));
    }

    private List<Integer> nodePorts(int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ports.add(topology.nodePort(i));
        }
        return ports;
    }

    /** The first {@code count} nodes and the Redis they share (and HAProxy, when the target goes through it). */
    private Supplier<List<Long>> nodes(int count, boolean haproxy) {
        return () -> {
            List<Long> pids = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                pids.add(pid("node-" + i));
            }
            pids.add(pid("redis"));
            if (haproxy) {
                pids.add(pid("haproxy"));
            }
            return pids;
        };
    }

    private long pid(String process) {
        return PidFiles.live(topology.pidFile(process)).orElseThrow(() -> new IllegalStateException(process + " is not running")).pid();
    }

    /** The processes this class started for the target named {@code name}. */
    private Supplier<List<Long>> pids(String name) {
        return () -> started.get(name).stream().map(s -> s.process()[0].pid()).toList();
    }

    private Runnable restartOwn(String name) {
        return () -> started.get(name).forEach(this::restart);
    }

    /** The cold start of node targets: the first {@code count} nodes restarted, then HAProxy sees them up. */
    private Runnable restartNodes(int count) {
        return () -> {
            for (int i = 1; i <= count; i++) {
                lab.restart("node-" + i);
            }
            lab.awaitServersUp();
        };
    }

    /** A floor process, with the nodes' JVM flags so that the ratio is about the code alone. */
    private List<String> javaCommand(String main, String mode) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(topology.nodeJvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main, "PORT", mode, ioThreads));
        return command;
    }

    private int start(String name, List<String> command, int port) {
        List<String> concrete = command.stream().map(a -> a.equals("PORT") ? Integer.toString(port) : a).toList();
        Started s = new Started(name + " " + (started.getOrDefault(name, List.of()).size() + 1), concrete, topology.host(), port,
                new ManagedProcess[1]);
        started.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        launch(s);
        return port;
    }

    /** A target's name as a file name: "Node.js peer ×1 1" → node-js-peer-x1-1. */
    static String fileName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace("×", "x").replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private void launch(Started s) {
        String file = fileName(s.name());
        s.process()[0] = ManagedProcess.start(file, s.command(), Map.of(), results.resolve(file + ".log"));
        s.process()[0].awaitTcpPort(s.host(), s.port(), Duration.ofSeconds(30));
    }

    private void restart(Started s) {
        s.process()[0].stop(Duration.ofSeconds(5));
        ManagedProcess.awaitPortFree(s.host(), s.port(), Duration.ofSeconds(10));
        launch(s);
    }

    private static int port() {
        return FreePorts.find();
    }

    @Override
    public void close() {
        started.values().forEach(own -> own.forEach(s -> s.process()[0].stop(Duration.ofSeconds(5))));
        started.clear();
    }
}
