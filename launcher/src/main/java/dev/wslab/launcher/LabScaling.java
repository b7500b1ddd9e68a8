package dev.wslab.launcher;

import java.io.PrintStream;

/**
 * Adds and takes away nodes of a running native lab: a node process started or stopped, HAProxy's
 * runtime API (a server haproxy.cfg declares is taken out of or put into maintenance, a later one
 * added or deleted) and Prometheus's targets.
 */
final class LabScaling {
    private final Lab lab;
    private final PrintStream out;

    LabScaling(Lab lab, PrintStream out) {
        this.lab = lab;
        this.out = out;
    }

    Lab scaleOut() {
        LabTopology topology = lab.topology();
        int index = lab.highestStartedNode().orElse(topology.nodes()) + 1;
        Lab bigger = lab.withNodes(index);
        bigger.processes().startNode(index);
        String id = topology.nodeId(index);
        if (index <= LabTopology.CONFIGURED_SERVERS) {
            lab.haproxy().setState(id, "ready");
        } else {
            lab.haproxy().addServer(id, topology.nodeAddress(index), topology.agentPort(index));
        }
        PrometheusProcess.writeTargets(bigger.topology(), bigger.placement().nodeAddresses());
        bigger.awaitServersUp();
        out.println(String.format("%-10s added: HAProxy sends it clients in every backend", id));
        return bigger;
    }

    Lab scaleIn() {
        LabTopology topology = lab.topology();
        int index = lab.highestStartedNode().orElse(topology.nodes());
        if (index < 2) {
            throw new IllegalStateException("the lab has one node left; scale-in would stop it");
        }
        String id = topology.nodeId(index);
        Lab smaller = lab.withNodes(index - 1);
        lab.haproxy().setState(id, "maint");
        if (index > LabTopology.CONFIGURED_SERVERS) {
            lab.haproxy().deleteServer(id);
        }
        lab.withNodes(index).stop(id);
        PrometheusProcess.writeTargets(smaller.topology(), smaller.placement().nodeAddresses());
        out.println(String.format("%-10s removed from every HAProxy backend and stopped", id));
        return smaller;
    }
}
