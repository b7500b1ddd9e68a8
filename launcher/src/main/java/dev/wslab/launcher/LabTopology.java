package dev.wslab.launcher;

import dev.wslab.settings.NodeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every port and path of the lab, in one place: the native launcher starts processes from it, and a
 * test holds docker-compose.yml to it. Defaults are the ones in DESIGN.md.
 *
 * @param home the project checkout (configs are read from its haproxy/, prometheus/ folders)
 * @param runDir where logs, pid files, Redis data and generated files go
 * @param firstAgentPort node-1's load-agent port (HAProxy agent-check); node-N's is N-1 above
 * @param weightedPort the frontend whose backend takes the nodes' own weights (leastconn + cookie + agent-check)
 * @param affinityPort the frontend that sends a room's members to one node (consistent hash of the room in the URL)
 * @param randomPort the frontend that picks the less loaded of two nodes drawn at random (power of two choices)
 * @param nodeSettings extra WSLAB_* variables for every node on top of the topology's own, e.g.
 *                     WSLAB_BROKER=local for the comparison's configuration without the Redis bus
 * @param haproxySettings extra variables for HAProxy on top of the launcher's environment, e.g. the
 *                        per-source limits (WSLAB_SRC_MAX_CONN) a test lowers
 */
public record LabTopology(
        Path home,
        Path runDir,
        String host,
        int nodes,
        int redisPort,
        int firstNodePort,
        int firstAdminPort,
        int firstAgentPort,
        int stickyPort,
        int roundRobinPort,
        int weightedPort,
        int affinityPort,
        int randomPort,
        int statsPort,
        int prometheusPort,
        Map<String, String> nodeSettings,
        Map<String, String> haproxySettings) {

    public LabTopology {
        nodeSettings = Map.copyOf(nodeSettings);
        haproxySettings = Map.copyOf(haproxySettings);
    }

    public static final int DEFAULT_NODES = 3;
    /** The nodes' JVM flags: the launcher's, docker-compose's image's and the bench floors'. */
    private static final List<String> NODE_JVM_FLAGS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC");

    public static LabTopology defaults(Path home, int nodes) {
        return new LabTopology(home, home.resolve("run"), "127.0.0.1", nodes, 6390, 9001, 9101, 9201, 8080, 8081, 8082, 8083, 8084, 8404, 9090, Map.of(), Map.of());
    }

    /**
     * The same topology on free loopback ports with its own run folder, for tests that must not
     * collide with a running lab or with each other. Node and admin ports are consecutive ranges.
     */
    public static LabTopology onFreePorts(Path home, Path runDir, int nodes) {
        FreePorts.Picker ports = new FreePorts.Picker();
        // The Redis Cluster, when chosen, takes the ports after the single Redis's and their bus ports.
        return new LabTopology(home, runDir, "127.0.0.1", nodes, ports.range(LabRedisCluster.PORTS_AFTER_REDIS), ports.range(nodes),
                ports.range(nodes), ports.range(nodes), ports.find(), ports.find(), ports.find(), ports.find(), ports.find(),
                ports.find(), ports.find(), Map.of(), Map.of());
    }

    /** The same lab whose nodes also get these settings (they replace ones of the same name). */
    public LabTopology withNodeSettings(Map<String, String> settings) {
        return new LabTopology(home, runDir, host, nodes, redisPort, firstNodePort, firstAdminPort, firstAgentPort,
                stickyPort, roundRobinPort, weightedPort, affinityPort, randomPort, statsPort, prometheusPort, settings, haproxySettings);
    }

    /** The same lab whose HAProxy also gets these variables. */
    public LabTopology withHaproxySettings(Map<String, String> settings) {
        return new LabTopology(home, runDir, host, nodes, redisPort, firstNodePort, firstAdminPort, firstAgentPort,
                stickyPort, roundRobinPort, weightedPort, affinityPort, randomPort, statsPort, prometheusPort, nodeSettings, settings);
    }

    /** The same lab with another number of nodes (a scale-out adds one to a running lab). */
    public LabTopology withNodes(int count) {
        return new LabTopology(home, runDir, host, count, redisPort, firstNodePort, firstAdminPort, firstAgentPort,
                stickyPort, roundRobinPort, weightedPort, affinityPort, randomPort, statsPort, prometheusPort, nodeSettings, haproxySettings);
    }

    public List<String> nodeJvmFlags() {
        return NODE_JVM_FLAGS;
    }

    public String nodeId(int index) {
        return "node-" + index;
    }

    /** Node indexes start at 1, as in node-1. */
    public int nodePort(int index) {
        return firstNodePort + index - 1;
    }

    public int adminPort(int index) {
        return firstAdminPort + index - 1;
    }

    /** Where the node's load agent answers HAProxy's agent-check with its weight. */
    public int agentPort(int index) {
        return firstAgentPort + index - 1;
    }

    /** node-N → N; an id the topology does not have is an error that names the ones it has. */
    public int nodeIndex(String nodeId) {
        for (int i = 1; i <= nodes; i++) {
            if (nodeId(i).equals(nodeId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such node: " + nodeId + " (nodes: " + nodeIds() + ")");
    }

    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add(nodeId(i));
        }
        return ids;
    }

    public String redisUri() {
        return "redis://" + host + ":" + redisPort;
    }

    /**
     * The Redis Cluster's nodes ({@code ./lab up --redis cluster}, and docker-compose's
     * redis-cluster profile on the same ports): the ports after the single Redis's, masters first.
     */
    public List<Integer> redisClusterPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= LabRedisCluster.MASTERS * (1 + LabRedisCluster.REPLICAS); i++) {
            ports.add(redisPort + i);
        }
        return ports;
    }

    /** The cluster bus port of the Redis Cluster node on {@code port}. */
    public static int redisClusterBusPort(int port) {
        return port + LabRedisCluster.BUS_OFFSET;
    }

    /** The environment a node process gets: the same variables docker-compose.yml sets. */
    public Map<String, String> nodeEnv(int index) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(NodeSettings.NODE_ID.env(), nodeId(index));
        env.put(NodeSettings.HOST.env(), host);
        env.put(NodeSettings.PORT.env(), Integer.toString(nodePort(index)));
        env.put(NodeSettings.ADMIN_PORT.env(), Integer.toString(adminPort(index)));
        env.put(NodeSettings.AGENT_PORT.env(), Integer.toString(agentPort(index)));
        env.put(NodeSettings.REDIS_URI.env(), redisUri());
        env.putAll(nodeSettings);
        return env;
    }

    public Path serverJar() {
        return home.resolve("server/target/wslab-server.jar");
    }

    public Path logFile(String process) {
        return runDir.resolve("logs").resolve(process + ".log");
    }

    public Path pidFile(String process) {
        return runDir.resolve("pids").resolve(process + ".pid");
    }

    public Path redisDir() {
        return runDir.resolve("redis");
    }

    /** How many nodes haproxy.cfg declares; more are added through the runtime API. */
    public static final int CONFIGURED_SERVERS = 3;

    public Path haproxyConfig() {
        return home.resolve("haproxy/haproxy.cfg");
    }

    public Path haproxySocket() {
        return runDir.resolve("haproxy.sock");
    }

    /** HAProxy's master CLI (reload, workers): a Unix socket in the run folder. */
    public Path haproxyMasterSocket() {
        return runDir.resolve("haproxy-master.sock");
    }

    /** What haproxy.cfg expands: the same variables docker-compose.yml gives the haproxy service. */
    public Map<String, String> haproxyEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WSLAB_BIND", host);
        env.put("WSLAB_STICKY_PORT", Integer.toString(stickyPort));
        env.put("WSLAB_ROUNDROBIN_PORT", Integer.toString(roundRobinPort));
        env.put("WSLAB_WEIGHTED_PORT", Integer.toString(weightedPort));
        env.put("WSLAB_AFFINITY_PORT", Integer.toString(affinityPort));
        env.put("WSLAB_RANDOM_PORT", Integer.toString(randomPort));
        env.put("WSLAB_STATS_PORT", Integer.toString(statsPort));
        env.put("WSLAB_HAPROXY_SOCKET", haproxySocket().toString());
        for (int i = 1; i <= CONFIGURED_SERVERS; i++) {
            env.put("WSLAB_NODE_" + i + "_ADDR", nodeAddress(i));
            env.put("WSLAB_NODE_" + i + "_AGENT_PORT", Integer.toString(agentPort(i)));
        }
        env.putAll(haproxySettings);
        return env;
    }

    public String nodeAddress(int index) {
        return host + ":" + nodePort(index);
    }

    public List<String> nodeAddresses() {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            addresses.add(nodeAddress(i));
        }
        return addresses;
    }

    /** Prometheus runs from here: links to the repo's prometheus.yml and rules, targets written by the lab. */
    public Path prometheusDir() {
        return runDir.resolve("prometheus");
    }

    public Path prometheusConfig() {
        return home.resolve("prometheus/prometheus.yml");
    }

    public Path prometheusRules() {
        return home.resolve("prometheus/rules");
    }

    /** HAProxy's client frontends by name (its backends share the names), in haproxy.cfg's order. */
    public Map<String, Integer> frontends() {
        Map<String, Integer> f = new LinkedHashMap<>();
        f.put("sticky", stickyPort);
        f.put("roundrobin", roundRobinPort);
        f.put("weighted", weightedPort);
        f.put("affinity", affinityPort);
        f.put("random", randomPort);
        return f;
    }

    /** One line for the logs and the status: every frontend's WebSocket URL, then the stats page. */
    public String frontendSummary() {
        StringBuilder line = new StringBuilder();
        frontends().forEach((name, port) -> line.append(name).append(' ')
                .append(url(port, name.equals("affinity") ? "/ws?room=<room>" : "/ws")).append("  "));
        return line.append("stats ").append(url(statsPort, "/stats")).toString();
    }

    public String url(int port, String path) {
        return "http://" + host + ":" + port + path;
    }
}
