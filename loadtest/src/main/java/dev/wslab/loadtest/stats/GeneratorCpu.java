package dev.wslab.loadtest.stats;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load generator's own CPU use over a run: on a 2-core machine shared with the cluster, every
 * figure depends on how much of the machine the generator (Gatling, or the bench's lean clients)
 * took, so each run reports it.
 */
public final class GeneratorCpu {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuNanos;
    private long wallNanos;

    public void start() {
        cpuNanos = os.getProcessCpuTime();
        wallNanos = System.nanoTime();
    }

    public GeneratorCpu stop() {
        cpuNanos = os.getProcessCpuTime() - cpuNanos;
        wallNanos = System.nanoTime() - wallNanos;
        return this;
    }

    /** The CPU time this process used between start and stop. */
    public long cpuNanos() {
        return cpuNanos;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        m.put("cpuSeconds", cpuNanos / 1e9);
        m.put("wallSeconds", wallNanos / 1e9);
        m.put("cores", cores);
        m.put("machineShare", machineShare());
        return m;
    }

    /** Share of the whole machine: 0.5 on 2 cores means one core busy all the time. */
    public Double machineShare() {
        return wallNanos == 0 ? null : (double) cpuNanos / wallNanos / Runtime.getRuntime().availableProcessors();
    }
}
