package dev.wslab.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The native lab: the lab's own Redis, N nodes, HAProxy and Prometheus as local processes,
 * found again through pid files so that {@code up}, {@code down} and {@code status} are separate
 * commands. {@code up} is idempotent; {@code down} leaves no process behind.
 *
 * <p>Integration tests drive the lab through this class, so what is tested is what users run. It
 * only composes the concerns, each in a class of its own so that none grows with the others:
 * {@link LabProcesses} starts and stops, {@link NodePlacement} knows where a node listens,
 * {@link LabNetwork} moves a node into its namespace and cuts its link, {@link LabStatus} prints
 * what runs, {@link LabScaling} adds and takes away nodes.
 */
public final class Lab implements Cluster {
    static final Duration START_TIMEOUT = LabProcesses.START_TIMEOUT;

    private final LabTopology topology;
    private final PrintStream out;
    private final NodeHttp http = new NodeHttp();
    private final HaproxyRuntime haproxy;
    private final NodePlacement placement;
    private final LabProcesses processes;
    private final LabNetwork network;

    public Lab(LabTopology topology, PrintStream out) {
        this.topology = topology;
        this.out = out;
        this.haproxy = new HaproxyRuntime(topology.haproxySocket());
        this.placement = new NodePlacement(topology);
        this.processes = new LabProcesses(topology, out, http, placement);
        this.network = new LabNetwork(topology, out, placement, processes, haproxy);
    }

    @Override
    public LabTopology topology() {
        return topology;
    }

    /** Everything listens on the topology's host, but a node in a network namespace of its own. */
    @Override
    public String host(String service) {
        return service.startsWith("node-") ? placement.nodeHost(topology.nodeIndex(service)) : topology.host();
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
    public Lab withHaproxySettings(java.util.Map<String, String> settings) {
        return new Lab(topology.withHaproxySettings(settings), out);
    }

    @Override
    public HaproxyMaster haproxyMaster() {
        return new HaproxyProcess(topology, out).master();
    }

    @Override
    public void reloadHaproxy() {
        new HaproxyProcess(topology, out).reload();
    }

    @Override
    public Optional<String> cannotRestartHaproxy() {
        return Optional.empty();
    }

    @Override
    public void restartHaproxy() {
        processes.stop("haproxy", false);
        new HaproxyProcess(topology, out).start();
    }

    @Override
    public Optional<String> cannotIsolate() {
        return network.cannotIsolate();
    }

    /**
     * Which Redis this and later commands run: the single redis-server, or a Redis Cluster of 3
     * masters and 3 replicas with the nodes on sharded pub/sub. Kept in the run folder; switching
     * needs the other one stopped first.
     */
    public void chooseRedis(boolean cluster) {
        new LabRedisCluster(topology, out).choose(cluster, processes);
    }

    /** "Redis redis://…", or "Redis Cluster host:port,…" when the lab runs the cluster. */
    public String redisDescription() {
        return LabRedisCluster.chosen(topology) ? "Redis Cluster " + new LabRedisCluster(topology, out).seeds()
                : "Redis " + topology.redisUri();
    }

    /** Starts whatever is not running yet, in dependency order, and waits until each is ready. */
    @Override
    public void up() {
        processes.requireServerJar();
        processes.startRedis();
        for (int i = 1; i <= topology.nodes(); i++) {
            processes.startNode(i);
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
        processes.stop("prometheus", false);
        processes.stop("haproxy", false);
        // Every node that has a pid file, whatever --nodes this call was given.
        for (String node : processes.startedNodes()) {
            processes.stop(node, false);
        }
        processes.stopRedis();
        for (int i = 1; i <= Math.max(topology.nodes(), LabTopology.CONFIGURED_SERVERS); i++) {
            placement.namespace(i).delete();
        }
    }

    @Override
    public NodeHttp http() {
        return http;
    }

    @Override
    public HaproxyRuntime haproxy() {
        return haproxy;
    }

    @Override
    public void drain(String nodeId, Duration grace) {
        Cluster.super.drain(nodeId, grace);
        out.println(String.format("%-10s draining: no new clients; open sockets closed with 1001 in %d ms",
                nodeId, grace.toMillis()));
    }

    /** Adds one node to the running lab, every HAProxy backend and Prometheus's targets; returns the lab with it. */
    @Override
    public Lab scaleOut() {
        return new LabScaling(this, out).scaleOut();
    }

    /** Takes the highest-numbered node out of every HAProxy backend, then stops it; returns the lab without it. */
    @Override
    public Lab scaleIn() {
        return new LabScaling(this, out).scaleIn();
    }

    /** This lab with another node count (the processes are not touched). */
    @Override
    public Lab withNodes(int count) {
        return new Lab(topology.withNodes(count), out);
    }

    /** The highest N of a node-N with a pid file: how many nodes a running lab has, whatever --nodes says. */
    public Optional<Integer> highestStartedNode() {
        return processes.highestStartedNode();
    }

    @Override
    public void undrain(String nodeId) {
        Cluster.super.undrain(nodeId);
        out.println(String.format("%-10s ready", nodeId));
    }

    @Override
    public void kill(String nodeId) {
        topology.nodeIndex(nodeId);
        processes.stop(nodeId, true);
    }

    /** SIGTERM: the node closes its sockets with 1001 and leaves the cluster cleanly. */
    public void stop(String nodeId) {
        topology.nodeIndex(nodeId);
        processes.stop(nodeId, false);
    }

    /**
     * Stops the lab's Redis (SIGTERM: it writes its AOF) and starts it again on the same data and
     * port. The nodes lose their bus for the moment between and resubscribe when it is back.
     */
    @Override
    public void restartRedis() {
        processes.stopRedis();
        processes.startRedis();
    }

    @Override
    public Optional<String> cannotFailOverRedis() {
        return new LabRedisCluster(topology, out).cannotFailOver();
    }

    @Override
    public void failOverRedis(String room) {
        new LabRedisCluster(topology, out).failOver(room, processes);
    }

    /**
     * Moves a node into a network namespace of its own (restarting it there), joined to the host by a
     * veth pair; HAProxy, Redis and Prometheus are pointed at its new address. Needs root and iproute2.
     * Afterwards {@link #partition} and {@link #heal} cut and restore its link.
     */
    @Override
    public void isolate(String nodeId) {
        network.isolate(nodeId);
    }

    /** Brings an isolated node back onto loopback (restarting it there) and removes its namespace. */
    @Override
    public void rejoin(String nodeId) {
        network.rejoin(nodeId);
    }

    /** Takes an isolated node's link down: no FIN, no RST, its packets just stop, both ways. */
    @Override
    public void partition(String nodeId) {
        network.partition(nodeId);
    }

    @Override
    public void heal(String nodeId) {
        network.heal(nodeId);
    }

    @Override
    public void start(String nodeId) {
        processes.startNode(topology.nodeIndex(nodeId));
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
        return processes.isRunning(process);
    }

    /** One line per process: whether it runs, its pid, and for nodes their health and connections. */
    public List<String> status() {
        return new LabStatus(this, placement, processes).lines();
    }

    LabProcesses processes() {
        return processes;
    }

    NodePlacement placement() {
        return placement;
    }

    int getStatus(int port, String path) {
        return http.status(topology.host(), port, path);
    }
}
