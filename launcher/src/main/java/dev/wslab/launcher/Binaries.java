package dev.wslab.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the lab's external programs, installing their Debian package when it can (root on Debian),
 * and otherwise says exactly which package is missing. The lab never downloads binaries itself.
 */
public final class Binaries {
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin");

    private Binaries() {}

    public static Path require(String binary, String debianPackage) {
        Path found = find(binary);
        if (found != null) {
            return found;
        }
        if (canApt()) {
            apt("install", "-y", "-q", debianPackage);
            found = find(binary);
            if (found == null) {
                apt("update", "-q");
                apt("install", "-y", "-q", debianPackage);
                found = find(binary);
            }
            if (found != null) {
                return found;
            }
        }
        throw new IllegalStateException(binary + " not found: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + ") or put " + binary + " on PATH");
    }

    public static Path find(String binary) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    /** Root on Debian with apt-get: the lab may install what it lacks (and run a Docker engine of its own). */
    public static boolean canApt() {
        return "root".equals(System.getProperty("user.name")) && Files.exists(Path.of("/etc/debian_version"))
                && find("apt-get") != null;
    }

    private static void apt(String... args) {
        List<String> command = new ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            builder.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not run apt-get: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing", e);
        }
    }
}
