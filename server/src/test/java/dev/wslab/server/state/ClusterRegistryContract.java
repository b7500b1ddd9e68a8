package dev.wslab.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every node registry promises, run against the in-memory one and against a real redis-server. */
public abstract class ClusterRegistryContract {
    protected abstract ClusterRegistry registry();

    private List<NodeInfo> cluster(ClusterRegistry r) {
        return r.cluster().toCompletableFuture().join();
    }

    @Test
    void announcedNodesAreListedByIdWithWhatTheyLastSaid() {
        ClusterRegistry r = registry();
        r.announce(new NodeInfo("node-b", 5, 100, false), Duration.ofMinutes(1)).toCompletableFuture().join();
        r.announce(new NodeInfo("node-a", 7, 200, false), Duration.ofMinutes(1)).toCompletableFuture().join();
        r.announce(new NodeInfo("node-a", 9, 200, true), Duration.ofMinutes(1)).toCompletableFuture().join();
        assertThat(cluster(r)).containsExactly(new NodeInfo("node-a", 9, 200, true), new NodeInfo("node-b", 5, 100, false));
    }

    @Test
    void aForgottenNodeIsNoLongerListed() {
        ClusterRegistry r = registry();
        r.announce(new NodeInfo("node-a", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
        r.announce(new NodeInfo("node-b", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
        r.forget("node-a").toCompletableFuture().join();
        assertThat(cluster(r)).extracting(NodeInfo::node).containsExactly("node-b");
    }

    @Test
    void aNodeThatStopsAnnouncingDropsOutOnceItsAnnouncementExpires() {
        ClusterRegistry r = registry();
        r.announce(new NodeInfo("node-a", 1, 1, false), Duration.ofMillis(300)).toCompletableFuture().join();
        r.announce(new NodeInfo("node-b", 1, 1, false), Duration.ofMinutes(1)).toCompletableFuture().join();
        assertThat(cluster(r)).extracting(NodeInfo::node).containsExactly("node-a", "node-b");
        Eventually.until(() -> cluster(r).size() == 1, Duration.ofSeconds(5), "node-a's announcement expired");
        assertThat(cluster(r)).extracting(NodeInfo::node).containsExactly("node-b");
    }
}
