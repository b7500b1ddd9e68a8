package dev.wslab.launcher;

import java.io.PrintStream;
import java.util.Optional;

/**
 * The native lab's network faults: a node moved into a network namespace of its own and back, and
 * its link cut and restored there. Moving a node restarts it, so this sits above process
 * supervision ({@link LabProcesses}) and repoints HAProxy, Redis and Prometheus at the node's new
 * address; where a node currently listens is {@link NodePlacement}'s answer.
 */
final class LabNetwork {
    private final LabTopology topology;
    private final PrintStream out;
    private final NodePlacement placement;
    private final LabProcesses processes;
    private final HaproxyRuntime haproxy;

    LabNetwork(LabTopology topology, PrintStream out, NodePlacement placement, LabProcesses processes,
            HaproxyRuntime haproxy) {
        this.topology = topology;
        this.out = out;
        this.placement = placement;
        this.processes = processes;
        this.haproxy = haproxy;
    }

    /** Natively nothing stands in the way; a missing root or iproute2 shows when {@code ip} fails. */
    Optional<String> cannotIsolate() {
        // A cluster's nodes announce their loopback addresses: from a namespace, those are its own.
        return LabRedisCluster.chosen(topology)
                ? Optional.of("a node in a network namespace cannot reach the Redis Cluster (its nodes announce loopback addresses)")
                : Optional.empty();
    }

    void isolate(String nodeId) {
        cannotIsolate().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        int index = topology.nodeIndex(nodeId);
        NodeNamespace namespace = placement.namespace(index);
        processes.stop(nodeId, false);
        namespace.create();
        placement.bindRedisToNamespaces();
        processes.startNode(index);
        haproxy.setAddress(nodeId, namespace.nodeIp(), topology.nodePort(index));
        PrometheusProcess.writeTargets(topology, placement.nodeAddresses());
        awaitServersUp();
        out.println(String.format("%-10s isolated in netns %s at %s (veth %s)", nodeId, namespace.name(),
                namespace.nodeIp(), namespace.hostInterface()));
    }

    void rejoin(String nodeId) {
        int index = topology.nodeIndex(nodeId);
        processes.stop(nodeId, false);
        placement.namespace(index).delete();
        placement.bindRedisToNamespaces();
        processes.startNode(index);
        haproxy.setAddress(nodeId, topology.host(), topology.nodePort(index));
        PrometheusProcess.writeTargets(topology, placement.nodeAddresses());
        awaitServersUp();
        out.println(String.format("%-10s back on %s", nodeId, topology.host()));
    }

    void partition(String nodeId) {
        isolated(nodeId).cut();
        out.println(String.format("%-10s partitioned (link down)", nodeId));
    }

    void heal(String nodeId) {
        isolated(nodeId).heal();
        out.println(String.format("%-10s healed (link up)", nodeId));
    }

    /** The restarted node must be UP in every backend before the move counts as done. */
    private void awaitServersUp() {
        haproxy.awaitUp(topology.nodes(), LabProcesses.START_TIMEOUT);
    }

    private NodeNamespace isolated(String nodeId) {
        NodeNamespace namespace = placement.namespace(topology.nodeIndex(nodeId));
        if (!namespace.exists()) {
            throw new IllegalStateException(nodeId + " is not isolated: ./lab isolate " + nodeId + " first");
        }
        return namespace;
    }
}
