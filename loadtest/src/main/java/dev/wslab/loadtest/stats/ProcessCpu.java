package dev.wslab.loadtest.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time a process has used, all its threads and those that have ended, as the kernel counts it
 * in {@code /proc/<pid>/stat} (user and system time). The bench prices a delivery by it: on two shared
 * cores the rate a target reaches says more about the load generator than the target, the CPU it
 * spends per delivery does not.
 */
public final class ProcessCpu {
    /** USER_HZ, the unit of /proc's times: 100 on every Linux ABI (it is fixed so that /proc never changes). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {}

    /** User plus system time of {@code pid}, in nanoseconds. */
    public static long nanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
        return parse(stat);
    }

    /** The sum over several processes (a target's nodes and its Redis, say). */
    public static long nanos(Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += nanos(pid);
        }
        return sum;
    }

    /**
     * The CPU time of each of the process's live threads, summed by thread name ({@code comm}, which
     * the kernel cuts to 15 characters): which threads a process's CPU went to. Threads that ended
     * are not in it.
     */
    public static Map<String, Long> byThread(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    byName.merge(name, parse(Files.readString(thread.resolve("stat"))), Long::sum);
                } catch (IOException gone) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid, e);
        }
        return byName;
    }

    /**
     * utime and stime of a {@code /proc/<pid>/stat} line: fields 14 and 15, counted from after the
     * command name, which is in parentheses and may itself hold spaces and parentheses.
     */
    static long parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (the state), so field n is fields[n - 3].
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }
}
