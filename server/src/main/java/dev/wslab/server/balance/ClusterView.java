package dev.wslab.server.balance;

import dev.wslab.server.state.NodeInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.LongSupplier;

/**
 * This node's picture of the cluster's load: the other nodes' connection counts from their
 * heartbeats (refreshed by {@link #refresh()}, so up to a heartbeat old) and its own, live. Draining
 * nodes are left out: they are emptying on purpose.
 */
public final class ClusterView {
    private final String self;
    private final Supplier<CompletionStage<List<NodeInfo>>> cluster;
    private final LongSupplier ownConnections;
    private final LongSupplier ownQueuedFrames;
    private final long maxConnections;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private volatile List<NodeInfo> others = List.of();
    private volatile boolean known;

    /** @param cluster the live nodes' heartbeats ({@code ClusterRegistry::cluster}); @param maxConnections this node's cap */
    public ClusterView(String self, Supplier<CompletionStage<List<NodeInfo>>> cluster, LongSupplier ownConnections,
            LongSupplier ownQueuedFrames, long maxConnections) {
        this.self = self;
        this.cluster = cluster;
        this.ownConnections = ownConnections;
        this.ownQueuedFrames = ownQueuedFrames;
        this.maxConnections = maxConnections;
    }

    /**
     * Reads the heartbeats again without waiting: it runs on the node's shared timer (presence,
     * keepalive), which a slow Redis must not hold up. On failure (Redis away) the last picture stays.
     */
    public void refresh() {
        cluster.get().whenComplete((nodes, error) -> {
            if (error == null) {
                others = nodes.stream().filter(n -> !n.node().equals(self) && !n.draining()).toList();
                known = true;
            }
        });
    }

    /** Whether the view has been read at least once. */
    public boolean known() {
        return known;
    }

    public long mine() {
        return ownConnections.getAsLong();
    }

    /** The spread over this node (live) and every other non-draining node (from heartbeats). */
    public Spread spread() {
        List<Long> counts = new ArrayList<>();
        counts.add(mine());
        for (NodeInfo n : others) {
            counts.add(n.connections());
        }
        return Spread.of(counts);
    }

    /** This node's share of the cluster's connections, 0–1. */
    public double share() {
        Spread s = spread();
        return s.total() == 0 ? 0 : (double) mine() / s.total();
    }

    public LoadWeight weight() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        double heapFraction = heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : 0;
        return new LoadWeight(mine(), spread().mean(), ownQueuedFrames.getAsLong(), heapFraction, maxConnections);
    }

    /** This node's load, its weight and the spread it sees, rounded for people: {@code GET /admin/load}. */
    public java.util.Map<String, Object> report(boolean draining) {
        LoadWeight weight = weight();
        Spread spread = spread();
        java.util.Map<String, Object> load = new java.util.LinkedHashMap<>();
        load.put("node", self);
        load.put("connections", mine());
        load.put("queuedFrames", weight.queuedFrames());
        load.put("heapUsed", Math.round(weight.heapUsedFraction() * 1000) / 1000.0);
        load.put("weight", weight.percent());
        load.put("share", Math.round(share() * 1000) / 1000.0);
        load.put("clusterNodes", spread.nodes());
        load.put("clusterConnections", spread.total());
        load.put("maxOverMin", Math.round(spread.maxOverMin() * 1000) / 1000.0);
        load.put("cv", Math.round(spread.cv() * 1000) / 1000.0);
        load.put("draining", draining);
        return load;
    }
}
