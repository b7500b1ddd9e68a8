package dev.wslab.loadtest.scenarios;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load generator's own CPU use over a run: on a 2-core machine shared with the cluster, every
 * figure depends on how much of the machine Gatling took, so each run reports it.
 */
final class GeneratorCpu {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuNanos;
    private long wallNanos;

    void start() {
        cpuNanos = os.getProcessCpuTime();
        wallNanos = System.nanoTime();
    }

    GeneratorCpu stop() {
        cpuNanos = os.getProcessCpuTime() - cpuNanos;
        wallNanos = System.nanoTime() - wallNanos;
        return this;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        m.put("cpuSeconds", cpuNanos / 1e9);
        m.put("wallSeconds", wallNanos / 1e9);
        m.put("cores", cores);
        // Share of the whole machine: 0.5 on 2 cores means one core busy all the time.
        m.put("machineShare", wallNanos == 0 ? null : (double) cpuNanos / wallNanos / cores);
        return m;
    }
}
