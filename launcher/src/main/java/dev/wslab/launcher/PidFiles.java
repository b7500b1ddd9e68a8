package dev.wslab.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The lab's processes outlive the {@code ./lab up} that started them, so they are found again
 * through pid files. A pid is trusted only while its command line still names what we started
 * (the token), so a recycled pid never gets a signal from us.
 */
public final class PidFiles {
    private PidFiles() {}

    public static void write(Path file, long pid, String token) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pid + " " + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process the pid file names, if it is still the one we started. */
    public static Optional<ProcessHandle> live(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(file).trim().split(" ", 2);
            long pid = Long.parseLong(parts[0]);
            String token = parts.length > 1 ? parts[1] : "";
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> commandLine(p).contains(token));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * What the process shows as its command line now. /proc first: some programs (redis-server)
     * rewrite their title there, and the JDK's view then keeps only the executable.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | UncheckedIOException e) {
            return process.info().commandLine().orElse("");
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; removes the pid file. Returns whether a process was stopped. */
    public static boolean stop(Path file, Duration grace, boolean hard) {
        Optional<ProcessHandle> process = live(file);
        process.ifPresent(p -> {
            if (hard) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            try {
                p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timeout) {
                p.destroyForcibly();
                p.onExit().join();
            }
        });
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process.isPresent();
    }
}
