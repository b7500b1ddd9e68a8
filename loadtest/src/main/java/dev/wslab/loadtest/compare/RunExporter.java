package dev.wslab.loadtest.compare;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The runner's own metrics, for Grafana's annotations of each comparison run: which experiment and
 * configuration is under load ({@code wslab_compare_run}, 1 while it runs) and each fault it
 * injects ({@code wslab_compare_fault}, 1 for {@link #FAULT_MARK} after it). Served in Prometheus's
 * text format on a port of its own, announced to Prometheus by a file-discovery target written into
 * the cluster's runner folder for as long as the runner lives, and withdrawn when it ends.
 */
final class RunExporter implements AutoCloseable {
    /** Long enough for a few 2 s scrapes, so Grafana draws the fault as a short region. */
    static final Duration FAULT_MARK = Duration.ofSeconds(10);
    static final String TARGET_FILE = "runner.json";

    private final HttpServer server;
    private final Path target;
    private final Clock clock;
    private volatile String run = "";
    private volatile String fault = "";
    private volatile long faultUntil;

    /**
     * @param host       the address to listen on, as Prometheus reaches this process
     * @param targetsDir the folder Prometheus's {@code wslab-runner} job discovers targets in
     */
    RunExporter(String host, Path targetsDir, Clock clock) {
        this.clock = clock;
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("the runner's metrics on " + host + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        this.target = targetsDir.resolve(TARGET_FILE);
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort();
        try {
            Files.createDirectories(targetsDir);
            Files.writeString(target, "[{\"targets\": [\"" + address + "\"]}]\n");
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException("announcing the runner to Prometheus in " + targetsDir + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    void running(String experiment, String configuration, int repeat) {
        run = "experiment=\"" + experiment + "\",configuration=\"" + configuration + "\",repeat=\"" + repeat + "\"";
    }

    void idle() {
        run = "";
    }

    void faultInjected(String experiment, String configuration, String name, String node) {
        fault = "experiment=\"" + experiment + "\",configuration=\"" + configuration + "\",fault=\"" + name
                + "\",node=\"" + node + "\"";
        faultUntil = clock.millis() + FAULT_MARK.toMillis();
    }

    String metrics() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP wslab_compare_run 1 while this comparison run is under load\n");
        sb.append("# TYPE wslab_compare_run gauge\n");
        if (!run.isEmpty()) {
            sb.append("wslab_compare_run{").append(run).append("} 1\n");
        }
        sb.append("# HELP wslab_compare_fault 1 for a few seconds after the runner injected a fault\n");
        sb.append("# TYPE wslab_compare_fault gauge\n");
        if (!fault.isEmpty() && clock.millis() < faultUntil) {
            sb.append("wslab_compare_fault{").append(fault).append("} 1\n");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            // Prometheus then keeps a target that does not answer: it shows as down, nothing worse
        }
    }
}
