package dev.wslab.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each node of the native lab listens: loopback, or the address of its own network namespace
 * once {@code ./lab isolate} has moved it there. Starting a node, printing the status and moving a
 * node all need this answer, so it sits below all three; the namespace's existence is the only
 * state ({@link NodeNamespace}), which is how a later command finds an isolated node again.
 */
final class NodePlacement {
    private final LabTopology topology;

    NodePlacement(LabTopology topology) {
        this.topology = topology;
    }

    NodeNamespace namespace(int index) {
        return NodeNamespace.forPort(topology.nodePort(index));
    }

    /** Where a node listens: loopback, or its namespace's address when isolated. */
    String nodeHost(int index) {
        NodeNamespace namespace = namespace(index);
        return namespace.exists() ? namespace.nodeIp() : topology.host();
    }

    /** host:port of every node, as Prometheus's targets list them. */
    List<String> nodeAddresses() {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= topology.nodes(); i++) {
            addresses.add(nodeHost(i) + ":" + topology.nodePort(i));
        }
        return addresses;
    }

    /** Redis listens on loopback and on the host end of every node namespace's veth pair. */
    void bindRedisToNamespaces() {
        List<String> addresses = new ArrayList<>(List.of(topology.host()));
        for (int i = 1; i <= topology.nodes(); i++) {
            if (namespace(i).exists()) {
                addresses.add(namespace(i).hostIp());
            }
        }
        Resp.call(topology.host(), topology.redisPort(), "CONFIG", "SET", "bind", String.join(" ", addresses));
    }
}
