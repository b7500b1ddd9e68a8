package dev.wslab.loadtest.compare;

import dev.wslab.settings.NodeSettings;
import dev.wslab.launcher.LabTopology;
import java.util.List;
import java.util.Map;

/**
 * One way of running the cluster that the comparison puts side by side.
 *
 * @param frontend     the HAProxy frontend the clients go through (sticky, roundrobin, weighted, affinity, random)
 * @param nodeSettings what the nodes run with on top of the lab's defaults
 * @param clientParams what the clients run with on top of the experiment's load (-Dwslab.*)
 * @param haproxySettings what HAProxy runs with on top of haproxy.cfg's defaults (its environment):
 *                     a change restarts HAProxy between runs
 */
public record Configuration(String name, String frontend, Map<String, String> nodeSettings, Map<String, String> clientParams,
                            Map<String, String> haproxySettings, String description) {

    private Configuration(String name, String frontend, Map<String, String> nodeSettings, String description) {
        this(name, frontend, nodeSettings, Map.of(), Map.of(), description);
    }

    private Configuration(String name, String frontend, Map<String, String> nodeSettings, Map<String, String> clientParams,
                          String description) {
        this(name, frontend, nodeSettings, clientParams, Map.of(), description);
    }

    public static final Configuration STICKY = new Configuration("sticky", "sticky", Map.of(),
            "HAProxy leastconn + cookie, Redis bus");
    public static final Configuration ROUNDROBIN = new Configuration("roundrobin", "roundrobin", Map.of(),
            "HAProxy round-robin, Redis bus");
    /** leastconn + cookie where each node sets its own weight through HAProxy's agent-check. */
    public static final Configuration WEIGHTED = new Configuration("weighted", "weighted", Map.of(),
            "HAProxy leastconn + cookie, weights from the nodes' agents, Redis bus");
    /** A room's members meet on one node: HAProxy hashes the room clients name in the URL (consistent, bounded load). */
    public static final Configuration AFFINITY = new Configuration("affinity", "affinity", Map.of(),
            "HAProxy url_param room, consistent hashing with a bounded load, Redis bus");
    /**
     * The affinity policy with another bounded load: {@code hash-balance-factor} {@code factor}
     * (0: none, plain consistent hashing; otherwise a node takes at most factor % of the average
     * load before a newcomer goes on along the ring). {@code affinity} itself runs haproxy.cfg's 150.
     */
    public static Configuration affinityWithFactor(int factor) {
        return new Configuration("affinity-f" + factor, "affinity", Map.of(), Map.of(),
                Map.of("WSLAB_HASH_BALANCE_FACTOR", Integer.toString(factor)),
                "HAProxy url_param room, consistent hashing, " + (factor == 0 ? "no load bound" : "hash-balance-factor " + factor)
                        + ", Redis bus");
    }

    /**
     * The sticky policy, HAProxy with reload settings: {@code hardStopAfter} ({@code hard-stop-after}:
     * how long an old worker may keep its connections after a reload) and {@code closeSpreadTime}
     * ({@code close-spread-time}); null leaves a setting unset, as haproxy.cfg does.
     */
    public static Configuration reloading(String name, String hardStopAfter, String closeSpreadTime) {
        Map<String, String> settings = new java.util.TreeMap<>();
        if (hardStopAfter != null) {
            settings.put("WSLAB_HARD_STOP_AFTER", hardStopAfter);
        }
        if (closeSpreadTime != null) {
            settings.put("WSLAB_CLOSE_SPREAD_TIME", closeSpreadTime);
        }
        return new Configuration(name, "sticky", Map.of(), Map.of(), Map.copyOf(settings), "HAProxy leastconn + cookie, Redis bus; "
                + "hard-stop-after " + (hardStopAfter == null ? "unset" : hardStopAfter) + ", close-spread-time "
                + (closeSpreadTime == null ? "unset" : closeSpreadTime));
    }

    /** Power of two choices: the less loaded of two nodes drawn at random. */
    public static final Configuration RANDOM = new Configuration("random", "random", Map.of(),
            "HAProxy random(2) (power of two choices), Redis bus");
    /** The sticky policy with the nodes' active rebalancer on: overloaded nodes move clients away. */
    public static final Configuration REBALANCE = new Configuration("rebalance", "sticky", Map.of(NodeSettings.REBALANCE.env(), "true"),
            "HAProxy leastconn + cookie, nodes rebalance actively (move clients, close 4002), Redis bus");

    /** The sticky policy with clients that reconnect after fixed delays, all in step: the thundering herd. */
    public static final Configuration NOJITTER = new Configuration("nojitter", "sticky", Map.of(), Map.of("wslab.jitter", "false"),
            "HAProxy leastconn + cookie, Redis bus; clients back off without jitter");

    /** What the seeds warn about: WebSocket servers scaled out without pub/sub between them. */
    public static final Configuration NOBUS = new Configuration("nobus", "roundrobin", Map.of(NodeSettings.BROKER.env(), "local"),
            "HAProxy round-robin, no Redis bus (in-memory broker per node)");

    public static final List<Configuration> ALL = List.of(STICKY, ROUNDROBIN, NOBUS);

    /**
     * The stickiness-failure matrix: transport (ws, sse, poll) × policy (sticky, roundrobin) × where
     * the HTTP transports' sessions live (node-local, or shared: forwarded to their node). A WebSocket
     * is one connection, so it has no session mode: it runs once per policy.
     */
    public static List<Configuration> transports() {
        List<Configuration> matrix = new java.util.ArrayList<>();
        for (String frontend : List.of("sticky", "roundrobin")) {
            matrix.add(new Configuration("ws-" + frontend, frontend, Map.of(), Map.of("wslab.transport", "ws"),
                    "WebSocket through HAProxy " + frontend));
        }
        for (String transport : List.of("sse", "poll")) {
            String carried = transport.equals("sse") ? "event stream + POST" : "long polling + POST";
            for (String mode : List.of("local", "shared")) {
                for (String frontend : List.of("sticky", "roundrobin")) {
                    matrix.add(new Configuration(transport + "-" + frontend + (mode.equals("shared") ? "-shared" : ""), frontend,
                            Map.of(NodeSettings.SESSIONS.env(), mode), Map.of("wslab.transport", transport),
                            carried + " through HAProxy " + frontend + ", " + (mode.equals("shared")
                                    ? "sessions shared (a request on another node is forwarded to the session's node)"
                                    : "node-local sessions")));
                }
            }
        }
        return List.copyOf(matrix);
    }

    public int port(LabTopology topology) {
        Integer port = topology.frontends().get(frontend);
        if (port == null) {
            throw new IllegalStateException("no HAProxy frontend " + frontend);
        }
        return port;
    }

    /**
     * Whether the lab promises that clients of the named configuration lose nothing. Not without the
     * bus, and not for node-local HTTP sessions behind round robin: there clients give up after their
     * reconnect attempts, which is the finding.
     */
    public static boolean promisesNoLoss(String name) {
        return !name.equals(NOBUS.name()) && !name.matches("(sse|poll)-roundrobin");
    }

    /** The value of the nodes' {@code lb} metric label for clients of this configuration. */
    public String lbLabel() {
        return frontend;
    }
}
