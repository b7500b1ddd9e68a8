package dev.wslab.loadtest.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of {@code /proc/stat}: busy and total, in
 * nanoseconds over every core. A bench on cores shared with other work reports how busy the machine
 * was, so that a figure taken while someone else compiled can be told apart.
 */
public final class MachineCpu {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private MachineCpu() {}

    /** {busy, total} nanoseconds since boot, summed over the cores. */
    public static long[] nanos() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    /** Share of the machine busy between two readings of {@link #nanos}; NaN when no time passed. */
    public static double busyShare(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
    }

    /**
     * "cpu user nice system idle iowait irq softirq steal guest guest_nice": idle and iowait are not
     * busy; guest time is already inside user, so it is not added twice.
     */
    static long[] parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {(total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK};
    }
}
