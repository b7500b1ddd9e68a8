package dev.wslab.server;

import dev.wslab.server.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/** Starts one node from the environment and stops it cleanly on SIGTERM. Only wiring lives here. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Before any logger exists: a log manager that outlives the JVM's own shutdown reset.
        System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
        // One line per event, key=value.
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tLZ level=%4$s logger=%3$s %5$s%6$s%n");
        Node node;
        try {
            node = Node.start(Config.fromEnvironment(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            // A bad setting or an unreachable Redis at start: one clear line, not a stack trace.
            System.err.println("event=start_failed error=\"" + e.getMessage() + "\""
                    + (e.getCause() != null ? " cause=\"" + e.getCause().getMessage() + "\"" : ""));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            if (java.util.logging.LogManager.getLogManager() instanceof ShutdownLogManager logs) {
                logs.resetAfterShutdown();
            }
        }, "wslab-shutdown"));
        System.out.println("event=ready node=" + node.nodeId() + " ws=ws://127.0.0.1:" + node.port() + "/ws"
                + " health=http://127.0.0.1:" + node.port() + "/health");
    }
}
