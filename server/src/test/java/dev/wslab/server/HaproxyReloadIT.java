package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.HaproxyMaster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reload of the lab's HAProxy ({@code ./lab reload haproxy}: master-worker, through its master
 * CLI): the listening sockets pass to a new worker, open WebSocket tunnels stay with the old one,
 * which leaves with its last tunnel — or, with {@code hard-stop-after}, cuts them after that long.
 */
class HaproxyReloadIT extends ThreeNodeLab {
    @Test
    void aReloadKeepsOpenTunnelsOnTheOldWorkerWhileNewClientsReachTheNewOne() {
        TestClient before = TestClient.connect(topology.stickyPort());
        clients.add(before);
        before.await("welcome");
        before.join("reload-room");
        long first = lab.haproxyMaster().workers().current();

        lab.reloadHaproxy();
        HaproxyMaster.Workers workers = lab.haproxyMaster().workers();
        assertThat(workers.current()).isNotEqualTo(first);
        assertThat(workers.old()).containsExactly(first);

        TestClient after = TestClient.connect(topology.stickyPort());
        clients.add(after);
        after.await("welcome");
        after.join("reload-room");
        after.publish("reload-room", "through the new worker", "r1");
        assertThat(before.awaitMessage("reload-room", "through the new worker")).isNotNull();
        before.publish("reload-room", "through the old worker", "r2");
        assertThat(after.awaitMessage("reload-room", "through the old worker")).isNotNull();
        assertThat(before.isClosed()).isFalse();

        before.close();
        Eventually.until(() -> lab.haproxyMaster().workers().old().isEmpty(), Duration.ofSeconds(10),
                "the old worker gone with its last tunnel");
    }

    @Test
    void withHardStopAfterTheOldWorkerCutsItsTunnelsAfterThatLong() {
        try {
            lab.withHaproxySettings(Map.of("WSLAB_HARD_STOP_AFTER", "1500ms")).restartHaproxy();
            // The restart returns once the new master answers, not while it re-executes itself.
            assertThat(lab.haproxyMaster().workers().old()).isEmpty();
            TestClient open = TestClient.connect(topology.stickyPort());
            clients.add(open);
            open.await("welcome");
            long reloadedAt = System.nanoTime();
            lab.reloadHaproxy();
            assertThat(open.isClosed()).as("not cut at the reload").isFalse();
            open.awaitClose();
            long cutAfterMs = (System.nanoTime() - reloadedAt) / 1_000_000;
            System.out.println("hard-stop-after 1500ms: the open tunnel was cut " + cutAfterMs + " ms after the reload began");
            assertThat(cutAfterMs).isBetween(1400L, 6000L);
            Eventually.until(() -> lab.haproxyMaster().workers().old().isEmpty(), Duration.ofSeconds(10), "the old worker gone");
        } finally {
            lab.restartHaproxy();
        }
    }
}
