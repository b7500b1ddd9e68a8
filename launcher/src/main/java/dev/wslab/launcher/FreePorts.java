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
        int highest = ephemeralStart() - count;
        for (int attempt = 0; attempt < 500; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = isFree(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports below " + highest);
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
