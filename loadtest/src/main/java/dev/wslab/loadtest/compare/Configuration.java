package dev.wslab.loadtest.compare;

import dev.wslab.launcher.LabTopology;
import java.util.List;
import java.util.Map;

/**
 * One way of running the cluster that the comparison puts side by side.
 *
 * @param frontend     the HAProxy frontend the clients go through (sticky or roundrobin)
 * @param nodeSettings what the nodes run with on top of the lab's defaults
 */
public record Configuration(String name, String frontend, Map<String, String> nodeSettings, String description) {
    public static final Configuration STICKY = new Configuration("sticky", "sticky", Map.of(),
            "HAProxy leastconn + cookie, Redis bus");
    public static final Configuration ROUNDROBIN = new Configuration("roundrobin", "roundrobin", Map.of(),
            "HAProxy round-robin, Redis bus");
    /** What the seeds warn about: WebSocket servers scaled out without pub/sub between them. */
    public static final Configuration NOBUS = new Configuration("nobus", "roundrobin", Map.of("WSLAB_BROKER", "local"),
            "HAProxy round-robin, no Redis bus (in-memory broker per node)");

    public static final List<Configuration> ALL = List.of(STICKY, ROUNDROBIN, NOBUS);

    public int port(LabTopology topology) {
        return frontend.equals("sticky") ? topology.stickyPort() : topology.roundRobinPort();
    }

    /** The value of the nodes' {@code lb} metric label for clients of this configuration. */
    public String lbLabel() {
        return frontend;
    }
}
