package dev.wslab.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;

/**
 * Starts the lab's Prometheus from run/prometheus/, where the repository's prometheus.yml and rules
 * are linked and the targets of this lab's processes are written (file discovery), so the same
 * prometheus.yml serves docker-compose, whose targets are mounted instead.
 */
final class PrometheusProcess {
    private final LabTopology topology;
    private final PrintStream out;
    private final ToIntBiFunction<Integer, String> status;

    /** {@code status} answers the HTTP status of a GET to a local port and path, -1 if none. */
    PrometheusProcess(LabTopology topology, PrintStream out, ToIntBiFunction<Integer, String> status) {
        this.topology = topology;
        this.out = out;
        this.status = status;
    }

    void start() {
        Path binary = Binaries.require("prometheus", "prometheus");
        Path dir = topology.prometheusDir();
        try {
            Files.createDirectories(dir.resolve("targets"));
            // A comparison runner announces itself here while it runs (prometheus.yml's wslab-runner job).
            Files.createDirectories(dir.resolve("runner"));
            link(dir.resolve("prometheus.yml"), topology.prometheusConfig());
            link(dir.resolve("rules"), topology.prometheusRules());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        writeTargets(topology, topology.nodeAddresses());
        ManagedProcess.awaitPortFree(topology.host(), topology.prometheusPort(), Duration.ofSeconds(10));
        ManagedProcess prometheus = ManagedProcess.start("prometheus", List.of(binary.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--storage.tsdb.retention.time=2d",
                        "--web.listen-address=" + topology.host() + ":" + topology.prometheusPort(),
                        "--web.enable-lifecycle"),
                Map.of(), topology.logFile("prometheus"));
        PidFiles.write(topology.pidFile("prometheus"), prometheus.pid(), "--config.file=" + dir);
        prometheus.awaitTcpPort(topology.host(), topology.prometheusPort(), Lab.START_TIMEOUT);
        long deadline = System.nanoTime() + Lab.START_TIMEOUT.toNanos();
        while (status.applyAsInt(topology.prometheusPort(), "/-/ready") != 200) {
            if (!prometheus.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus not ready:\n" + prometheus.tail(20));
            }
            ManagedProcess.sleep(100);
        }
        out.println("prometheus started " + topology.url(topology.prometheusPort(), "/classic/graph"));
    }

    /**
     * The file-discovery targets for the processes this lab runs (docker-compose ships its own);
     * rewritten when a node moves, and Prometheus picks the file up again within its refresh interval.
     */
    static void writeTargets(LabTopology topology, List<String> nodeAddresses) {
        StringBuilder nodes = new StringBuilder("[{\"targets\": [");
        for (int i = 0; i < nodeAddresses.size(); i++) {
            nodes.append(i > 0 ? ", " : "").append('"').append(nodeAddresses.get(i)).append('"');
        }
        nodes.append("]}]\n");
        String haproxy = "[{\"targets\": [\"" + topology.host() + ":" + topology.statsPort() + "\"]}]\n";
        try {
            Files.createDirectories(topology.prometheusDir().resolve("targets"));
            Files.writeString(topology.prometheusDir().resolve("targets/nodes.json"), nodes);
            Files.writeString(topology.prometheusDir().resolve("targets/haproxy.json"), haproxy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void link(Path link, Path target) throws java.io.IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target.toAbsolutePath());
    }

}
