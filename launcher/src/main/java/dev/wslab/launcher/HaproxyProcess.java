package dev.wslab.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts the lab's HAProxy from haproxy/haproxy.cfg with the launcher's environment, in
 * master-worker mode (so that it can reload without closing its listeners), fits its servers to
 * the number of nodes, and returns once every node is UP in every backend: before that, clients
 * would see 503s.
 */
final class HaproxyProcess {
    private final LabTopology topology;
    private final PrintStream out;

    HaproxyProcess(LabTopology topology, PrintStream out) {
        this.topology = topology;
        this.out = out;
    }

    void start() {
        Path binary = Binaries.require("haproxy", "haproxy");
        ManagedProcess.awaitPortFree(topology.host(), topology.stickyPort(), Duration.ofSeconds(10));
        ManagedProcess haproxy = ManagedProcess.start("haproxy",
                List.of(binary.toString(), "-W", "-db", "-S", topology.haproxyMasterSocket().toString(),
                        "-f", topology.haproxyConfig().toString()),
                topology.haproxyEnv(), topology.logFile("haproxy"));
        PidFiles.write(topology.pidFile("haproxy"), haproxy.pid(), "haproxy.cfg");
        haproxy.awaitTcpPort(topology.host(), topology.stickyPort(), Lab.START_TIMEOUT);
        haproxy.awaitTcpPort(topology.host(), topology.statsPort(), Lab.START_TIMEOUT);
        awaitFile(haproxy, topology.haproxySocket());
        // A stopped master leaves its socket file behind: only an answer says the new one is there.
        master().awaitAnswering(Lab.START_TIMEOUT);
        fitServers();
        out.println("haproxy    started " + topology.frontendSummary());
    }

    /**
     * Reloads the running HAProxy through its master CLI: a new worker on the re-read haproxy.cfg
     * takes the listening sockets, the old one keeps its open tunnels (until hard-stop-after, if
     * set). What the runtime API changed (servers added or put in maintenance) is gone with the
     * old worker, so the servers are fitted to the nodes again.
     */
    void reload() {
        HaproxyMaster.Workers workers = master().reload(Lab.START_TIMEOUT);
        fitServers();
        out.println("haproxy    reloaded: worker " + workers.current() + " serves, old workers " + workers.old()
                + " keep their connections");
    }

    /** haproxy.cfg declares three servers; fewer nodes leave the rest in maintenance, more are added. */
    private void fitServers() {
        HaproxyRuntime runtime = new HaproxyRuntime(topology.haproxySocket());
        for (int i = topology.nodes() + 1; i <= LabTopology.CONFIGURED_SERVERS; i++) {
            runtime.setState(topology.nodeId(i), "maint");
        }
        for (int i = LabTopology.CONFIGURED_SERVERS + 1; i <= topology.nodes(); i++) {
            runtime.addServer(topology.nodeId(i), topology.nodeAddress(i), topology.agentPort(i));
        }
        // Health checks need a couple of seconds to call a node UP; the lab is not up before that.
        runtime.awaitUp(topology.nodes(), Lab.START_TIMEOUT);
    }

    HaproxyMaster master() {
        return new HaproxyMaster(java.net.UnixDomainSocketAddress.of(topology.haproxyMasterSocket()));
    }

    private static void awaitFile(ManagedProcess process, Path file) {
        long deadline = System.nanoTime() + Lab.START_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(process.name() + " did not create " + file + ":\n" + process.tail(20));
            }
            ManagedProcess.sleep(50);
        }
    }

}
