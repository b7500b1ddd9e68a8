package dev.wslab.loadtest.compare;

import dev.wslab.launcher.LabTopology;
import java.util.List;
import java.util.Map;

/**
 * One way of running the cluster that the comparison puts side by side.
 *
 * @param frontend     the HAProxy frontend the clients go through (sticky or roundrobin)
 * @param nodeSettings what the nodes run with on top of the lab's defaults
 * @param clientParams what the clients run with on top of the experiment's load (-Dwslab.*)
 */
public record Configuration(String name, String frontend, Map<String, String> nodeSettings, Map<String, String> clientParams,
                            String description) {

    private Configuration(String name, String frontend, Map<String, String> nodeSettings, String description) {
        this(name, frontend, nodeSettings, Map.of(), description);
    }

    public static final Configuration STICKY = new Configuration("sticky", "sticky", Map.of(),
            "HAProxy leastconn + cookie, Redis bus");
    public static final Configuration ROUNDROBIN = new Configuration("roundrobin", "roundrobin", Map.of(),
            "HAProxy round-robin, Redis bus");
    /** leastconn + cookie where each node sets its own weight through HAProxy's agent-check. */
    public static final Configuration WEIGHTED = new Configuration("weighted", "weighted", Map.of(),
            "HAProxy leastconn + cookie, weights from the nodes' agents, Redis bus");
    /** The sticky policy with the nodes' active rebalancer on: overloaded nodes move clients away. */
    public static final Configuration REBALANCE = new Configuration("rebalance", "sticky", Map.of("WSLAB_REBALANCE", "true"),
            "HAProxy leastconn + cookie, nodes rebalance actively (move clients, close 4002), Redis bus");

    /** The sticky policy with clients that reconnect after fixed delays, all in step: the thundering herd. */
    public static final Configuration NOJITTER = new Configuration("nojitter", "sticky", Map.of(), Map.of("wslab.jitter", "false"),
            "HAProxy leastconn + cookie, Redis bus; clients back off without jitter");

    /** What the seeds warn about: WebSocket servers scaled out without pub/sub between them. */
    public static final Configuration NOBUS = new Configuration("nobus", "roundrobin", Map.of("WSLAB_BROKER", "local"),
            "HAProxy round-robin, no Redis bus (in-memory broker per node)");

    public static final List<Configuration> ALL = List.of(STICKY, ROUNDROBIN, NOBUS);

    public int port(LabTopology topology) {
        return switch (frontend) {
            case "sticky" -> topology.stickyPort();
            case "weighted" -> topology.weightedPort();
            default -> topology.roundRobinPort();
        };
    }

    /** The value of the nodes' {@code lb} metric label for clients of this configuration. */
    public String lbLabel() {
        return frontend;
    }
}
