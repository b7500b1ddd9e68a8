package dev.wslab.launcher;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A running wslab cluster as the experiment runner drives it: the native lab's local processes
 * ({@link Lab}) or the docker-compose services ({@code docker.ComposeLab}). Names and ports are the
 * topology's in both; only where a process is reached ({@link #host}) and how a node is killed,
 * started and restarted differ. What goes through HAProxy's runtime API and the nodes' admin ports
 * (drain, load, health) is written once, here.
 */
public interface Cluster {
    /** Node names and every port: the same natively and under compose. */
    LabTopology topology();

    /** Where this process reaches a service: "redis", "haproxy", "prometheus" or a node id. */
    String host(String service);

    /**
     * The folder of Prometheus's {@code wslab-runner} file-discovery targets, as this process sees it:
     * a comparison runner announces its own metrics there (Grafana annotates each run from them).
     */
    java.nio.file.Path runnerTargets();

    /** The address a runner in this process listens on so that this cluster's Prometheus reaches it. */
    String runnerHost();

    /** Returns once every process is up and HAProxy sees every node (natively, starting what is not running). */
    void up();

    HaproxyRuntime haproxy();

    /** The one HTTP client of this cluster's calls (the sampler asks every 200 ms: no client per call). */
    NodeHttp http();

    void kill(String nodeId);

    void start(String nodeId);

    /** SIGTERM (the node closes its sockets with 1001 and leaves cleanly), then started again. */
    void restart(String nodeId);

    /** Redis stopped and started on its data: the nodes lose their bus for a moment and resubscribe. */
    void restartRedis();

    /** The same cluster whose nodes run with these settings from their next start on. */
    Cluster withNodeSettings(Map<String, String> settings);

    /** Restarts every node with this cluster's node settings and waits until HAProxy sees them all UP. */
    void restartNodes();

    /** Why this cluster cannot restart its HAProxy with other settings, or empty when it can. */
    default Optional<String> cannotRestartHaproxy() {
        return Optional.of("HAProxy's variables are its container's environment, fixed by docker compose up; "
                + "the native lab (./lab compare) restarts HAProxy with them");
    }

    /** The same cluster whose HAProxy runs with these variables (on top of haproxy.cfg's presetenv defaults) from its next start on. */
    default Cluster withHaproxySettings(Map<String, String> settings) {
        throw new UnsupportedOperationException(cannotRestartHaproxy().orElse("no HAProxy settings"));
    }

    /**
     * Stops HAProxy (every tunnel through it closes) and starts it with this cluster's HAProxy
     * settings; returns once it sees every node UP. How the comparison switches between
     * configurations that differ in haproxy.cfg's variables.
     */
    default void restartHaproxy() {
        throw new UnsupportedOperationException(cannotRestartHaproxy().orElse("no HAProxy restart"));
    }

    /** HAProxy's master CLI: its workers, old and current, and reloads. */
    HaproxyMaster haproxyMaster();

    /**
     * Reloads HAProxy (master-worker: the listening sockets pass to a new worker, open tunnels stay
     * with the old one until they end or hard-stop-after cuts them); returns once the new worker
     * sees every node UP.
     */
    default void reloadHaproxy() {
        haproxyMaster().reload(Lab.START_TIMEOUT);
        awaitServersUp();
    }

    /** The same cluster counting another number of nodes (nothing is started or stopped). */
    Cluster withNodes(int count);

    /** Adds the next node to the running cluster and to every HAProxy backend; returns the cluster with it. */
    Cluster scaleOut();

    /** Takes the highest-numbered node out of every backend and stops it; returns the cluster without it. */
    Cluster scaleIn();

    /** Why this cluster cannot fail a Redis master over (it runs one Redis), or empty when it can. */
    default Optional<String> cannotFailOverRedis() {
        return Optional.of("this lab runs one Redis, which has no replica to take over; on the native lab: "
                + "./lab up --redis cluster, then ./lab chaos redis-failover");
    }

    /**
     * SIGKILL to the Redis Cluster master that serves the room's slot; returns once its replica took
     * over and the old master is back, as a replica of the new one.
     */
    default void failOverRedis(String room) {
        throw new UnsupportedOperationException(cannotFailOverRedis().orElse("no Redis Cluster"));
    }

    /** Why this cluster cannot move a node into a network namespace of its own, or empty when it can. */
    Optional<String> cannotIsolate();

    void isolate(String nodeId);

    void partition(String nodeId);

    void heal(String nodeId);

    void rejoin(String nodeId);

    /** Returns once HAProxy sees every node UP in every backend again (after a restart or drain). */
    default void awaitServersUp() {
        haproxy().awaitUp(topology().nodes(), Lab.START_TIMEOUT);
    }

    /** A node's /health answer (it names the broker the node runs), or empty when it does not answer. */
    default Optional<String> health(String nodeId) {
        return answer(nodeId, topology().nodePort(topology().nodeIndex(nodeId)), "/health");
    }

    /** A node's {@code GET /admin/load}: connections, queue, heap, agent weight and the spread it sees. */
    default Optional<String> load(String nodeId) {
        return answer(nodeId, topology().adminPort(topology().nodeIndex(nodeId)), "/admin/load")
                .map(a -> a.substring(a.indexOf(' ') + 1));
    }

    /** The room's members on the node (its {@code GET /admin/rooms/{room}}), 0 when the node does not answer. */
    default int roomMembers(String nodeId, String room) {
        return answer(nodeId, topology().adminPort(topology().nodeIndex(nodeId)), "/admin/rooms/" + room)
                .map(a -> java.util.regex.Pattern.compile("\"members\":(\\d+)").matcher(a))
                .filter(java.util.regex.Matcher::find).map(m -> Integer.parseInt(m.group(1))).orElse(0);
    }

    /** The node with the most of the room's members (the first node on a tie). */
    default String nodeOfRoom(String room) {
        String busiest = topology().nodeIds().get(0);
        int most = -1;
        for (String node : topology().nodeIds()) {
            int members = roomMembers(node, room);
            if (members > most) {
                busiest = node;
                most = members;
            }
        }
        return busiest;
    }

    /** "status body" of a GET to the node, or empty when it does not answer or is not running at all. */
    private Optional<String> answer(String nodeId, int port, String path) {
        String host;
        try {
            host = host(nodeId);
        } catch (IllegalStateException notRunning) {
            return Optional.empty();
        }
        return http().get(host, port, path);
    }

    /**
     * Drains a node the way production does: HAProxy stops sending it new clients at once, the node
     * refuses new sockets and, after {@code grace}, closes open ones with 1001 so they reconnect
     * elsewhere.
     *
     * <p>A DRAIN server still takes every client whose sticky cookie names it: the clients the node
     * just closed came straight back to it, were refused with 503, and kept retrying until the drain
     * ended ({@code ./lab chaos drain} measured a 3.5 s outage through the sticky frontend).
     * haproxy.cfg now retries such a 503 on another server ({@code retry-on 503}). MAINT, which
     * ignores cookies, is no way out: with {@code on-marked-down shutdown-sessions} it cuts every
     * open tunnel at once (1006), before the node can say goodbye.
     */
    default void drain(String nodeId, Duration grace) {
        drain(nodeId, "graceMs=" + grace.toMillis());
    }

    /**
     * Drains with one of the node's strategies ({@code strategy=all|batches|spread|lb-only} and its
     * {@code graceMs}, {@code batchSize}, {@code intervalMs}, {@code windowMs}, as a query string).
     * HAProxy stops sending the node new clients either way.
     */
    default void drain(String nodeId, String query) {
        haproxy().setState(nodeId, "drain");
        int status = http().post(host(nodeId), topology().adminPort(topology().nodeIndex(nodeId)), "/admin/drain?" + query);
        if (status != 202) {
            throw new IllegalStateException(nodeId + " refused to drain with " + query + " (admin answered " + status + ")");
        }
    }

    default void undrain(String nodeId) {
        http().post(host(nodeId), topology().adminPort(topology().nodeIndex(nodeId)), "/admin/undrain");
        haproxy().setState(nodeId, "ready");
    }
}
