package dev.wslab.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.state.NodeInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rebalancer's arithmetic against a cluster given as heartbeats; moving a client is a counter here. */
class RebalancerTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong mine = new AtomicLong();
    final AtomicLong now = new AtomicLong(1_000_000);
    final List<Integer> asked = new ArrayList<>();
    List<NodeInfo> others = List.of();
    final ClusterView view = new ClusterView("node-1", () -> CompletableFuture.completedFuture(withSelf()), mine::get, () -> 0,
            1_000_000);
    final Clock clock = new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    final Rebalancer rebalancer = new Rebalancer("node-1", view, n -> {
        asked.add(n);
        mine.addAndGet(-n);
        return n;
    }, new Metrics(registry), clock, 0.1, 50, Duration.ofSeconds(6), Duration.ofSeconds(4));

    private List<NodeInfo> withSelf() {
        List<NodeInfo> all = new ArrayList<>(others);
        all.add(new NodeInfo("node-1", 999, 0, false));
        return all;
    }

    /** This node holds {@code own}, the others report what they report; one round of the rebalancer. */
    private int tickWith(long own, NodeInfo... reported) {
        mine.set(own);
        others = List.of(reported);
        view.refresh();
        return rebalancer.tick();
    }

    /**
     * The same picture for the steady window (4 s, a round a second) — nothing moves while the
     * total has not held that long — then the round that may move clients.
     */
    private int steadyThenTick(long own, NodeInfo... reported) {
        for (int i = 0; i < 4; i++) {
            assertThat(tickWith(own, reported)).as("not steady yet").isZero();
            now.addAndGet(1000);
        }
        return tickWith(own, reported);
    }

    private static NodeInfo node(String id, long connections) {
        return new NodeInfo(id, connections, 0, false);
    }

    @Test
    void afterAScaleOutEachOverloadedNodeShedsItsExcessOverTheMean() {
        // Mean 225: 75 over, but at most 50 per tick.
        assertThat(steadyThenTick(300, node("node-2", 300), node("node-3", 300), node("node-4", 0))).isEqualTo(50);
        now.addAndGet(1000);
        // The 50 are in flight (closed here, not yet counted on node-4): the mean stays 225.
        assertThat(rebalancer.tick()).isEqualTo(25);
        now.addAndGet(1000);
        assertThat(rebalancer.tick()).isZero();
        assertThat(mine.get()).isEqualTo(225);
        assertThat(registry.get("wslab.migrations").counter().count()).isEqualTo(75);
    }

    @Test
    void aNodeAtOrBelowItsShareMovesNobodyEvenWhenTheClusterIsSkewed() {
        assertThat(steadyThenTick(0, node("node-2", 300), node("node-3", 300))).isZero();
        assertThat(asked).isEmpty();
    }

    @Test
    void withinToleranceOrTooFewClientsNothingMoves() {
        assertThat(steadyThenTick(32, node("node-2", 30), node("node-3", 28))).isZero();
        assertThat(steadyThenTick(9, node("node-2", 1), node("node-3", 0))).as("9 clients over 3 nodes is noise").isZero();
    }

    @Test
    void whileClientsArriveTheStaleHeartbeatsLookLikeSkewAndNothingMoves() {
        // A ramp: this node's live count runs ahead of the others' seconds-old heartbeats.
        for (int i = 1; i <= 8; i++) {
            assertThat(tickWith(20L * i, node("node-2", 20L * (i - 1)), node("node-3", 20L * (i - 2 < 0 ? 0 : i - 2))))
                    .as("round " + i).isZero();
            now.addAndGet(1000);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void drainingNodesAreLeftOutOfTheMean() {
        assertThat(steadyThenTick(100, node("node-2", 100), new NodeInfo("node-3", 0, 0, true))).isZero();
    }

    @Test
    void theTimeToRebalanceIsRecordedOnceTheSpreadIsWithinToleranceAndNothingIsInFlight() {
        steadyThenTick(300, node("node-2", 300), node("node-3", 300), node("node-4", 0));
        now.addAndGet(1000);
        rebalancer.tick();
        // The moved clients have landed: node-4 reports them.
        others = List.of(node("node-2", 225), node("node-3", 225), node("node-4", 225));
        view.refresh();
        now.addAndGet(1000);
        rebalancer.tick();
        assertThat(registry.get("wslab.rebalance.duration").timer().count()).as("still in flight").isZero();
        now.addAndGet(6000);
        rebalancer.tick();
        assertThat(registry.get("wslab.rebalance.duration").timer().count()).isEqualTo(1);
        assertThat(registry.get("wslab.rebalance.duration").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .as("from the first round that saw the skew").isEqualTo(12000);
    }
}
