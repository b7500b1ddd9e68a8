package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.Cluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the comparison runner relies on, for every {@link Cluster}: the native lab (NativeClusterIT)
 * and the compose lab (ComposeIT). Each test leaves the cluster whole.
 */
interface ClusterContract {
    Cluster cluster();

    @Test
    default void nodesRestartedWithSettingsRunThemAndTheirDefaultsAgainAfter() {
        Cluster lab = cluster();
        lab.withNodeSettings(Map.of("WSLAB_BROKER", "local")).restartNodes();
        try {
            for (String node : lab.topology().nodeIds()) {
                assertThat(lab.health(node)).as(node).hasValueSatisfying(h -> assertThat(h).contains("\"broker\":\"local\""));
            }
        } finally {
            lab.withNodeSettings(Map.of()).restartNodes();
        }
        for (String node : lab.topology().nodeIds()) {
            assertThat(lab.health(node)).as(node).hasValueSatisfying(h -> assertThat(h).contains("\"broker\":\"redis\""));
        }
    }

    @Test
    default void aKilledNodeAnswersNothingUntilStartedAndThenHaproxySeesItUp() {
        Cluster lab = cluster();
        lab.kill("node-2");
        Eventually.until(() -> lab.health("node-2").isEmpty(), Duration.ofSeconds(10), "node-2 silent after the kill");
        lab.start("node-2");
        lab.awaitServersUp();
        assertThat(lab.health("node-2")).hasValueSatisfying(h -> assertThat(h).startsWith("200"));
    }

    @Test
    default void aDrainedNodeIsDrainedInHaproxyAndRefusesHealthUntilUndrained() {
        Cluster lab = cluster();
        lab.drain("node-3", "strategy=lb-only");
        try {
            assertThat(lab.haproxy().serverStates()).containsKey("sticky/node-3");
            // DRAIN from the runtime API, or NOLB once a health check has seen the drained node's 404
            // (disable-on-404): both mean no new clients and the open tunnels kept.
            assertThat(lab.haproxy().serverStates().get("sticky/node-3")).matches("(DRAIN|NOLB) .*");
            assertThat(lab.health("node-3")).hasValueSatisfying(h -> assertThat(h).startsWith("503"));
            assertThat(lab.load("node-3")).hasValueSatisfying(l -> assertThat(l).contains("\"draining\":true"));
        } finally {
            lab.undrain("node-3");
        }
        lab.awaitServersUp();
        assertThat(lab.health("node-3")).hasValueSatisfying(h -> assertThat(h).startsWith("200"));
    }
}
