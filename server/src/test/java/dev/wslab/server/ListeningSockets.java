package dev.wslab.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a process listens on, from the kernel's tables: its socket descriptors
 * ({@code /proc/<pid>/fd}) matched against the listening TCP sockets in {@code /proc/net/tcp} and
 * {@code tcp6}. What a port scan from outside would find, without sending a packet.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** "address:port" of each listening TCP socket the process holds, e.g. "127.0.0.1:9001". */
    static Set<String> of(long pid) {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed between listing and reading: not a listener.
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the descriptors of process " + pid, e);
        }
        Set<String> listening = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        listening.add(address(f[1]));
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + table, e);
            }
        }
        return listening;
    }

    /** The kernel writes addresses as hex of 32-bit words in host (little-endian) order. */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String a = parts[0];
        StringBuilder out = new StringBuilder();
        if (a.length() == 8) {
            for (int i = 3; i >= 0; i--) {
                out.append(Integer.parseInt(a.substring(i * 2, i * 2 + 2), 16)).append(i > 0 ? "." : "");
            }
            return out + ":" + port;
        }
        byte[] bytes = new byte[16];
        for (int word = 0; word < 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(a.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
            }
        }
        try {
            // Java binds IPv6 sockets with the IPv4-mapped address (::ffff:127.0.0.1): IPv4 it is.
            java.net.InetAddress address = java.net.InetAddress.getByAddress(bytes);
            return (address instanceof java.net.Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]") + ":" + port;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
