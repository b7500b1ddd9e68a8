package dev.wslab.launcher.docker;

import dev.wslab.launcher.Binaries;
import dev.wslab.launcher.Command;
import dev.wslab.launcher.ManagedProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Docker engine to run the compose lab on: the one that already answers, or — as root on Debian,
 * where the lab may — Debian's {@code dockerd} started here and stopped again by {@link #close}.
 *
 * <p>dockerd sets the iptables FORWARD policy to DROP and leaves it so after it stops; the network
 * namespace experiments route through that chain. An engine started here puts the policy back to
 * what it was before.
 */
public final class DockerEngine implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final DockerApi api;
    private final ManagedProcess started;
    private final String forwardPolicy;
    private final PrintStream out;

    private DockerEngine(DockerApi api, ManagedProcess started, String forwardPolicy, PrintStream out) {
        this.api = api;
        this.started = started;
        this.forwardPolicy = forwardPolicy;
        this.out = out;
    }

    /** Why no engine can be had on this machine, or empty when one answers or can be started. */
    public static Optional<String> unavailable() {
        if (new DockerApi(DockerApi.DEFAULT_SOCKET).answers()) {
            return Optional.empty();
        }
        if (!Binaries.canApt()) {
            return Optional.of("no Docker engine answers at " + DockerApi.DEFAULT_SOCKET
                    + ", and only root on Debian may install and start one here");
        }
        return Optional.empty();
    }

    /** The engine that answers, or one started now (installing Debian's docker.io when missing). */
    public static DockerEngine acquire(Path logFile, PrintStream out) {
        DockerApi api = new DockerApi(DockerApi.DEFAULT_SOCKET);
        if (api.answers()) {
            out.println("docker     engine already running at " + DockerApi.DEFAULT_SOCKET);
            return new DockerEngine(api, null, null, out);
        }
        Path dockerd = Binaries.require("dockerd", "docker.io");
        String policy = forwardPolicy();
        ManagedProcess process = ManagedProcess.start("dockerd", List.of(dockerd.toString()), java.util.Map.of(), logFile);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!api.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.close();
                restoreForwardPolicy(policy);
                throw new IllegalStateException("dockerd did not come up; end of " + logFile + ":\n" + process.tail(20));
            }
            ManagedProcess.sleep(200);
        }
        out.println("docker     started dockerd (pid " + process.pid() + ", log " + logFile + "); iptables FORWARD was " + policy);
        return new DockerEngine(api, process, policy, out);
    }

    public DockerApi api() {
        return api;
    }

    /** Whether this engine was started here (and so is stopped by {@link #close}). */
    public boolean startedHere() {
        return started != null;
    }

    @Override
    public void close() {
        if (started == null) {
            return;
        }
        started.stop(STOP_GRACE);
        restoreForwardPolicy(forwardPolicy);
        out.println("docker     dockerd stopped; iptables FORWARD policy " + forwardPolicy + " again");
    }

    /** The FORWARD chain's policy ("-P FORWARD ACCEPT" is the first line of {@code iptables -S FORWARD}). */
    private static String forwardPolicy() {
        Path iptables = Binaries.require("iptables", "iptables");
        String rules = Command.require(Duration.ofSeconds(10), List.of(iptables.toString(), "-S", "FORWARD"));
        for (String line : rules.split("\n")) {
            if (line.startsWith("-P FORWARD ")) {
                return line.substring("-P FORWARD ".length()).trim();
            }
        }
        throw new IllegalStateException("iptables -S FORWARD names no policy: " + rules);
    }

    private static void restoreForwardPolicy(String policy) {
        Path iptables = Binaries.require("iptables", "iptables");
        Command.require(Duration.ofSeconds(10), List.of(iptables.toString(), "-P", "FORWARD", policy));
    }
}
