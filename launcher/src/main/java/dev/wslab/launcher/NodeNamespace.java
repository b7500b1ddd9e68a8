package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's own Linux network namespace, joined to the host by a veth pair, so that the lab can cut
 * the node off the network (link down) the way a switch port or a cloud network partition does:
 * no FIN, no RST, packets just stop. Everything the node talks to (HAProxy, Redis, Prometheus, the
 * launcher) reaches it over the pair's /30.
 *
 * <p>The namespace's existence is the only state: a lab found again by a later command knows the
 * node is isolated because {@code /run/netns/<name>} is there. Names and addresses derive from the
 * node's port, so labs on other ports (tests) never share one.
 */
public record NodeNamespace(String name, String hostInterface, String nodeInterface, String hostIp, String nodeIp) {
    private static final Path NETNS_DIR = Path.of("/run/netns");

    public static NodeNamespace forPort(int nodePort) {
        // A /30 per port inside 10.201.0.0/16: 16384 slots; interface names stay under IFNAMSIZ (15).
        int base = (nodePort % 16_384) * 4;
        String net = "10.201." + (base >> 8) + ".";
        int low = base & 0xff;
        return new NodeNamespace("wslab-" + nodePort, "wsh" + nodePort, "wsn" + nodePort,
                net + (low + 1), net + (low + 2));
    }

    public boolean exists() {
        return Files.exists(NETNS_DIR.resolve(name));
    }

    /** Creates the namespace and the veth pair, both ends up; replaces a leftover of the same name. */
    public void create() {
        delete();
        ip("netns", "add", name);
        ip("link", "add", hostInterface, "type", "veth", "peer", "name", nodeInterface, "netns", name);
        ip("addr", "add", hostIp + "/30", "dev", hostInterface);
        ip("link", "set", hostInterface, "up");
        ip("-n", name, "addr", "add", nodeIp + "/30", "dev", nodeInterface);
        ip("-n", name, "link", "set", nodeInterface, "up");
        ip("-n", name, "link", "set", "lo", "up");
    }

    /** Removes the namespace; its end of the pair goes with it and takes the host end along. */
    public void delete() {
        if (exists()) {
            ip("netns", "del", name);
        }
        // The kernel removes the pair asynchronously once the namespace is gone: wait for that, and
        // delete the host end ourselves only if it outlives the wait (a leftover from a crash).
        Path hostEnd = Path.of("/sys/class/net", hostInterface);
        for (int i = 0; i < 50 && Files.exists(hostEnd); i++) {
            ManagedProcess.sleep(100);
        }
        if (Files.exists(hostEnd)) {
            ip("link", "del", hostInterface);
        }
    }

    /** The partition: the host end goes down, so nothing crosses in either direction. */
    public void cut() {
        ip("link", "set", hostInterface, "down");
    }

    public void heal() {
        ip("link", "set", hostInterface, "up");
    }

    /** The command, run inside the namespace. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output
                        + " (network namespaces need root and Debian's iproute2)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ip (install Debian's iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
