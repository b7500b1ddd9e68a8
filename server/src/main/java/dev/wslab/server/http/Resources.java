package dev.wslab.server.http;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What the node process holds, measured so that samples taken minutes apart compare: heap after a
 * full collection (live objects, not garbage awaiting one), descriptors, threads, connections.
 */
public final class Resources {
    private final IntSupplier connections;

    public Resources(IntSupplier connections) {
        this.connections = connections;
    }

    /** Runs a full GC (G1 collects the whole heap on System.gc()) and reads the process's figures. */
    public Map<String, Object> afterFullGc() {
        System.gc();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        out.put("openFiles", ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1);
        out.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        out.put("connections", connections.getAsInt());
        return out;
    }
}
