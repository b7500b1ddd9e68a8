package dev.wslab.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native lab: the lab's own Redis, N nodes, HAProxy and Prometheus as local processes,
 * found again through pid files so that {@code up}, {@code down} and {@code status} are separate
 * commands. {@code up} is idempotent; {@code down} leaves no process behind.
 *
 * <p>Integration tests drive the lab through this class, so what is tested is what users run.
 */
public final class Lab implements Cluster {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LabTopology topology;
    private final PrintStream out;
    private final NodeHttp http = new NodeHttp();

    public Lab(LabTopology topology, PrintStream out) {
        this.topology = topology;
        this.out = out;
    }

    @Override
    public LabTopology topology() {
        return topology;
    }

    /** Everything listens on the topology's host, but a node in a network namespace of its own. */
    @Override
    public String host(String service) {
        return service.startsWith("node-") ? nodeHost(topology.nodeIndex(service)) : topology.host();
    }

    @Override
    public Path runnerTargets() {
        return topology.prometheusDir().resolve("runner");
    }

    @Override
    public String runnerHost() {
        return topology.host();
    }

    @Override
    public Lab withNodeSettings(java.util.Map<String, String> settings) {
        return new Lab(topology.withNodeSettings(settings), out);
    }

    @Override
    public Optional<String> cannotIsolate() {
        return Optional.empty();
    }

    /** Starts whatever is not running yet, in dependency order, and waits until each is ready. */
    @Override
    public void up() {
        requireServerJar();
        startRedis();
        for (int i = 1; i <= topology.nodes(); i++) {
            startNode(i);
        }
        if (isRunning("haproxy")) {
            out.println("haproxy    already running");
        } else {
            new HaproxyProcess(topology, out).start();
        }
        if (isRunning("prometheus")) {
            out.println("prometheus already running");
        } else {
            new PrometheusProcess(topology, out, this::getStatus).start();
        }
    }

    /** Stops every lab process, last started first. */
    public void down() {
        stopProcess("prometheus", false);
        stopProcess("haproxy", false);
        // Every node that has a pid file, whatever --nodes this call was given.
        for (String node : startedNodes()) {
            stopProcess(node, false);
        }
        stopProcess("redis", false);
        for (int i = 1; i <= Math.max(topology.nodes(), LabTopology.CONFIGURED_SERVERS); i++) {
            namespace(i).delete();
        }
    }

    @Override
    public NodeHttp http() {
        return http;
    }

    @Override
    public HaproxyRuntime haproxy() {
        return new HaproxyRuntime(topology.haproxySocket());
    }

    @Override
    public void drain(String nodeId, Duration grace) {
        Cluster.super.drain(nodeId, grace);
        out.println(String.format("%-10s draining: no new clients; open sockets closed with 1001 in %d ms",
                nodeId, grace.toMillis()));
    }

    /**
     * Adds one node to the running lab: starts node-(N+1), puts it into every HAProxy backend (a
     * server haproxy.cfg declares is taken out of maintenance, a later one added through the runtime
     * API) and into Prometheus's targets, and waits until HAProxy sees it UP. Returns the lab with
     * the new node counted.
     */
    @Override
    public Lab scaleOut() {
        int index = highestStartedNode().orElse(topology.nodes()) + 1;
        Lab bigger = withNodes(index);
        bigger.startNode(index);
        String id = topology.nodeId(index);
        if (index <= LabTopology.CONFIGURED_SERVERS) {
            haproxy().setState(id, "ready");
        } else {
            haproxy().addServer(id, topology.nodeAddress(index), topology.agentPort(index));
        }
        PrometheusProcess.writeTargets(bigger.topology, bigger.nodeAddresses());
        bigger.awaitServersUp();
        out.println(String.format("%-10s added: HAProxy sends it clients in every backend", id));
        return bigger;
    }

    /**
     * Takes the highest-numbered node out of the running lab: HAProxy stops using it (maintenance for
     * a server haproxy.cfg declares; a server added at run time is deleted), then it stops with 1001
     * to its clients. Returns the lab without it.
     */
    @Override
    public Lab scaleIn() {
        int index = highestStartedNode().orElse(topology.nodes());
        if (index < 2) {
            throw new IllegalStateException("the lab has one node left; scale-in would stop it");
        }
        String id = topology.nodeId(index);
        Lab smaller = withNodes(index - 1);
        haproxy().setState(id, "maint");
        if (index > LabTopology.CONFIGURED_SERVERS) {
            haproxy().deleteServer(id);
        }
        new Lab(topology.withNodes(index), out).stop(id);
        PrometheusProcess.writeTargets(smaller.topology, smaller.nodeAddresses());
        out.println(String.format("%-10s removed from every HAProxy backend and stopped", id));
        return smaller;
    }

    /** This lab with another node count (the processes are not touched). */
    @Override
    public Lab withNodes(int count) {
        return new Lab(topology.withNodes(count), out);
    }

    /** The highest N of a node-N with a pid file: how many nodes a running lab has, whatever --nodes says. */
    public Optional<Integer> highestStartedNode() {
        return startedNodes().stream().map(n -> Integer.parseInt(n.substring("node-".length()))).max(Integer::compare);
    }

    @Override
    public void undrain(String nodeId) {
        Cluster.super.undrain(nodeId);
        out.println(String.format("%-10s ready", nodeId));
    }

    private List<String> startedNodes() {
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

    @Override
    public void kill(String nodeId) {
        topology.nodeIndex(nodeId);
        stopProcess(nodeId, true);
    }

    /** SIGTERM: the node closes its sockets with 1001 and leaves the cluster cleanly. */
    public void stop(String nodeId) {
        topology.nodeIndex(nodeId);
        stopProcess(nodeId, false);
    }

    /**
     * Stops the lab's Redis (SIGTERM: it writes its AOF) and starts it again on the same data and
     * port. The nodes lose their bus for the moment between and resubscribe when it is back.
     */
    @Override
    public void restartRedis() {
        stopProcess("redis", false);
        startRedis();
    }

    /**
     * Moves a node into a network namespace of its own (restarting it there), joined to the host by a
     * veth pair; HAProxy, Redis and Prometheus are pointed at its new address. Needs root and iproute2.
     * Afterwards {@link #partition} and {@link #heal} cut and restore its link.
     */
    @Override
    public void isolate(String nodeId) {
        int index = topology.nodeIndex(nodeId);
        NodeNamespace namespace = namespace(index);
        stopProcess(nodeId, false);
        namespace.create();
        bindRedisToNamespaces();
        startNode(index);
        haproxy().setAddress(nodeId, namespace.nodeIp(), topology.nodePort(index));
        PrometheusProcess.writeTargets(topology, nodeAddresses());
        awaitServersUp();
        out.println(String.format("%-10s isolated in netns %s at %s (veth %s)", nodeId, namespace.name(),
                namespace.nodeIp(), namespace.hostInterface()));
    }

    /** Brings an isolated node back onto loopback (restarting it there) and removes its namespace. */
    @Override
    public void rejoin(String nodeId) {
        int index = topology.nodeIndex(nodeId);
        stopProcess(nodeId, false);
        namespace(index).delete();
        bindRedisToNamespaces();
        startNode(index);
        haproxy().setAddress(nodeId, topology.host(), topology.nodePort(index));
        PrometheusProcess.writeTargets(topology, nodeAddresses());
        awaitServersUp();
        out.println(String.format("%-10s back on %s", nodeId, topology.host()));
    }

    /** Takes an isolated node's link down: no FIN, no RST, its packets just stop, both ways. */
    @Override
    public void partition(String nodeId) {
        isolated(nodeId).cut();
        out.println(String.format("%-10s partitioned (link down)", nodeId));
    }

    @Override
    public void heal(String nodeId) {
        isolated(nodeId).heal();
        out.println(String.format("%-10s healed (link up)", nodeId));
    }

    private NodeNamespace isolated(String nodeId) {
        NodeNamespace namespace = namespace(topology.nodeIndex(nodeId));
        if (!namespace.exists()) {
            throw new IllegalStateException(nodeId + " is not isolated: ./lab isolate " + nodeId + " first");
        }
        return namespace;
    }

    private NodeNamespace namespace(int index) {
        return NodeNamespace.forPort(topology.nodePort(index));
    }

    /** Where a node listens: loopback, or its namespace's address when isolated. */
    private String nodeHost(int index) {
        NodeNamespace namespace = namespace(index);
        return namespace.exists() ? namespace.nodeIp() : topology.host();
    }

    private List<String> nodeAddresses() {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= topology.nodes(); i++) {
            addresses.add(nodeHost(i) + ":" + topology.nodePort(i));
        }
        return addresses;
    }

    /** Redis listens on loopback and on the host end of every node namespace's veth pair. */
    private void bindRedisToNamespaces() {
        List<String> addresses = new ArrayList<>(List.of(topology.host()));
        for (int i = 1; i <= topology.nodes(); i++) {
            if (namespace(i).exists()) {
                addresses.add(namespace(i).hostIp());
            }
        }
        Resp.call(topology.host(), topology.redisPort(), "CONFIG", "SET", "bind", String.join(" ", addresses));
    }

    @Override
    public void start(String nodeId) {
        startNode(topology.nodeIndex(nodeId));
    }

    @Override
    public void restart(String nodeId) {
        stop(nodeId);
        start(nodeId);
    }

    /**
     * Restarts every node (SIGTERM, then start) with this lab's node settings, then waits until
     * HAProxy sees them all UP: how the comparison switches between configurations.
     */
    @Override
    public void restartNodes() {
        for (String node : topology.nodeIds()) {
            restart(node);
        }
        awaitServersUp();
    }

    public Path logFile(String process) {
        return topology.logFile(process);
    }

    public boolean isRunning(String process) {
        return PidFiles.live(topology.pidFile(process)).isPresent();
    }

    /** One line per process: whether it runs, its pid, and for nodes their health and connections. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add(describe("redis", "redis " + topology.redisUri()));
        for (int i = 1; i <= topology.nodes(); i++) {
            String id = topology.nodeId(i);
            String health = isRunning(id) ? http.get(nodeHost(i), topology.nodePort(i), "/health").orElse("no answer") : "-";
            String load = isRunning(id) ? load(id).map(Lab::loadSummary).orElse("") : "";
            lines.add(describe(id, "ws://" + nodeHost(i) + ":" + topology.nodePort(i) + "/ws health=" + health + load
                    + (namespace(i).exists() ? " netns=" + namespace(i).name() : "")));
        }
        http.get(nodeHost(1), topology.nodePort(1), "/api/cluster").ifPresent(c -> lines.add("cluster " + c));
        lines.add(describe("haproxy", "sticky " + topology.url(topology.stickyPort(), "/ws")
                + "  roundrobin " + topology.url(topology.roundRobinPort(), "/ws")
                + "  weighted " + topology.url(topology.weightedPort(), "/ws")
                + "  stats " + topology.url(topology.statsPort(), "/stats")));
        if (isRunning("haproxy")) {
            HaproxyRuntime runtime = haproxy();
            runtime.serverStates().forEach((server, state) -> lines.add("  " + server + " " + state
                    + (server.startsWith("weighted/") ? " weight=" + runtime.weight("weighted", server.substring(9)) : "")));
        }
        lines.add(describe("prometheus", topology.url(topology.prometheusPort(), "/classic/graph")));
        return lines;
    }

    /** " connections=120 weight=100 share=0.33" from a node's /admin/load answer (no JSON library here). */
    private static String loadSummary(String load) {
        StringBuilder sb = new StringBuilder();
        for (String key : List.of("connections", "weight", "share")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([0-9.]+)").matcher(load);
            if (m.find()) {
                sb.append(' ').append(key).append('=').append(m.group(1));
            }
        }
        return sb.toString();
    }

    private String describe(String process, String detail) {
        Optional<ProcessHandle> live = PidFiles.live(topology.pidFile(process));
        return String.format("%-10s %-8s %s", process, live.map(p -> "pid=" + p.pid()).orElse("stopped"), detail);
    }

    private void startRedis() {
        if (isRunning("redis")) {
            out.println("redis      already running");
            return;
        }
        RedisServer redis = RedisServer.start(topology.redisDir(), topology.redisPort(), topology.logFile("redis"));
        PidFiles.write(topology.pidFile("redis"), redis.pid(), Integer.toString(topology.redisPort()));
        bindRedisToNamespaces();
        out.println("redis      started " + topology.redisUri());
    }

    private void startNode(int index) {
        String id = topology.nodeId(index);
        if (isRunning(id)) {
            out.println(String.format("%-10s already running", id));
            return;
        }
        int port = topology.nodePort(index);
        String host = nodeHost(index);
        ManagedProcess.awaitPortFree(host, port, Duration.ofSeconds(10));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dwslab.lab.process=" + id));
        command.addAll(topology.nodeJvmFlags());
        command.addAll(List.of("-jar", topology.serverJar().toString()));
        Map<String, String> env = new java.util.LinkedHashMap<>(topology.nodeEnv(index));
        NodeNamespace namespace = namespace(index);
        if (namespace.exists()) {
            // `ip netns exec` execs the JVM itself, so the pid below is still the node's.
            command = namespace.wrap(command);
            env.put("WSLAB_HOST", namespace.nodeIp());
            env.put("WSLAB_REDIS_URI", "redis://" + namespace.hostIp() + ":" + topology.redisPort());
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

    private void stopProcess(String process, boolean hard) {
        if (PidFiles.stop(topology.pidFile(process), STOP_GRACE, hard)) {
            out.println(String.format("%-10s %s", process, hard ? "killed" : "stopped"));
        }
    }

    private void requireServerJar() {
        if (!Files.isRegularFile(topology.serverJar())) {
            throw new IllegalStateException(topology.serverJar() + " is missing: build it with "
                    + "mvn -q -DskipTests package (./lab does this for you)");
        }
    }

    int getStatus(int port, String path) {
        return http.status(topology.host(), port, path);
    }
}
