package dev.wslab.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests, which must never collide with a running lab or each other.
 *
 * <p>Ports are drawn from below the kernel's ephemeral range, never from it: an ephemeral port
 * that is free now can become the local end of any outgoing connection (a Lettuce or HTTP client)
 * before the process meant to listen on it starts, and CI once failed exactly that way.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;

    private FreePorts() {}

    public static int find() {
        return range(1);
    }

    /** The first of {@code count} consecutive free loopback ports. */
    public static int range(int count) {
        return new Picker().range(count);
    }

    /**
     * Hands out ports for one topology: none twice. Each port is only checked free, not held, until
     * its process binds it, so two draws for the same lab could otherwise return overlapping ports
     * (an agent port inside the node range), and the second process to start would fail to bind.
     */
    public static final class Picker {
        private final java.util.Set<Integer> given = new java.util.HashSet<>();

        public int find() {
            return range(1);
        }

        public int range(int count) {
            int highest = ephemeralStart() - count;
            for (int attempt = 0; attempt < 500; attempt++) {
                int first = ThreadLocalRandom.current().nextInt(LOWEST, highest);
                boolean free = true;
                for (int port = first; port < first + count && free; port++) {
                    free = !given.contains(port) && isFree(port);
                }
                if (free) {
                    for (int port = first; port < first + count; port++) {
                        given.add(port);
                    }
                    return first;
                }
            }
            throw new IllegalStateException("no " + count + " consecutive free loopback ports below " + highest);
        }
    }

    /** Linux's net.ipv4.ip_local_port_range start; 32768 (its default) where it cannot be read. */
    static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
