package dev.wslab.server.state;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node registry in memory: on its own a node only ever finds itself here, but the registry
 * keeps what it is told with the same expiry as Redis does, so both are held to one contract.
 */
public final class LocalClusterRegistry implements ClusterRegistry {
    private record Announced(NodeInfo info, long expiresAtMillis) {}

    private final Clock clock;
    private final Map<String, Announced> nodes = new ConcurrentHashMap<>();

    public LocalClusterRegistry() {
        this(Clock.systemUTC());
    }

    public LocalClusterRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> announce(NodeInfo self, Duration ttl) {
        nodes.put(self.node(), new Announced(self, clock.millis() + ttl.toMillis()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> cluster() {
        long now = clock.millis();
        nodes.values().removeIf(a -> a.expiresAtMillis() <= now);
        List<NodeInfo> live = new ArrayList<>();
        nodes.values().forEach(a -> live.add(a.info()));
        live.sort(Comparator.comparing(NodeInfo::node));
        return CompletableFuture.completedFuture(live);
    }

    @Override
    public CompletionStage<Void> forget(String nodeId) {
        nodes.remove(nodeId);
        return CompletableFuture.completedFuture(null);
    }
}
