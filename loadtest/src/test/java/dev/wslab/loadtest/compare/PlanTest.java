package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The experiments are declared once (Experiment.all); the options' lists and the checks come from there. */
class PlanTest {
    @Test
    void eachOptionRunsItsGroupOfTheDeclaredExperimentsInOrder() {
        assertThat(Plan.EXPERIMENTS).containsExactly("rooms", "churn", "restart", "backend", "scaleout");
        assertThat(Plan.DRAINS).containsExactly("drain-all", "drain-batches", "drain-spread", "drain-lb");
        assertThat(Plan.TRANSPORTS).containsExactly("transports");
        assertThat(Plan.POLICIES).containsExactly("skew", "room-node-kill", "surge", "reload");
        assertThat(Plan.CHAOS).containsExactly("kill", "drain", "rolling", "redis", "redis-failover", "partition");
        List<String> grouped = new ArrayList<>();
        for (List<String> group : List.of(Plan.EXPERIMENTS, Plan.DRAINS, Plan.TRANSPORTS, Plan.POLICIES, Plan.CHAOS)) {
            grouped.addAll(group);
        }
        assertThat(grouped).as("every declared experiment in exactly one group")
                .containsExactlyElementsOf(Experiment.all(Plan.quick()).stream().map(Experiment::name).toList());
    }

    @Test
    void theSkewExperimentRunsAffinityAtEveryLoadBoundAndTheReloadExperimentWithAndWithoutHardStop() {
        Experiment skew = new Plan(Plan.POLICIES, 1, Duration.ZERO, Duration.ofSeconds(4), 10, 1).selected().get(0);
        assertThat(skew.configurations()).extracting(Configuration::name)
                .containsExactly("sticky", "roundrobin", "random", "affinity", "affinity-f0", "affinity-f125", "affinity-f200");
        assertThat(skew.configurations()).filteredOn(c -> !c.haproxySettings().isEmpty()).extracting(c -> c.haproxySettings()
                .get("WSLAB_HASH_BALANCE_FACTOR")).containsExactly("0", "125", "200");
        assertThat(skew.load()).containsEntry("wslab.rooms", "20");
        Experiment reload = new Plan(List.of("reload"), 1, Duration.ZERO, Duration.ofSeconds(30), 10, 1).selected().get(0);
        assertThat(reload.configurations()).extracting(Configuration::haproxySettings).containsExactly(Map.of(),
                Map.of("WSLAB_HARD_STOP_AFTER", "5000ms"),
                Map.of("WSLAB_HARD_STOP_AFTER", "5000ms", "WSLAB_CLOSE_SPREAD_TIME", "5000ms"));
    }

    @Test
    void aPlansLoadReplacesEveryExperimentsOwnRateAndRooms() {
        Plan plan = new Plan(List.of("rooms", "skew"), 1, Duration.ZERO, Duration.ofSeconds(4), 1000, 1, List.of(),
                Map.of("wslab.rate", "0.05", "wslab.rooms", "200"));
        assertThat(plan.selected()).allSatisfy(e -> assertThat(e.load()).containsEntry("wslab.rate", "0.05")
                .containsEntry("wslab.rooms", "200").containsEntry("wslab.users", "1000"));
    }

    @Test
    void thePlansPerUserRateMakesTheBackendPostAsOftenAsItsUsersWould() {
        Plan plan = new Plan(List.of("backend"), 1, Duration.ZERO, Duration.ofSeconds(4), 1000, 1, List.of(),
                Map.of("wslab.rate", "0.05"));
        assertThat(plan.selected().get(0).load()).containsEntry("wslab.rate", "50.0");
        Plan own = new Plan(List.of("backend"), 1, Duration.ZERO, Duration.ofSeconds(4), 1000, 1);
        assertThat(own.selected().get(0).load()).as("without --rate: its own 50 POSTs a second").containsEntry("wslab.rate", "50.0");
    }

    @Test
    void anUnknownExperimentIsRefusedWithTheKnownOnes() {
        Plan plan = new Plan(List.of("rooms", "nosuch"), 1, Duration.ZERO, Duration.ofSeconds(4), 10, 1);
        assertThatThrownBy(plan::selected).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown experiment nosuch").hasMessageContaining("scaleout");
    }

    @Test
    void aPlanSelectsItsExperimentsThroughOnlyTheNamedConfigurations() {
        Plan plan = new Plan(List.of("rooms", "kill"), 1, Duration.ZERO, Duration.ofSeconds(4), 10, 1, List.of("sticky"));
        assertThat(plan.selected()).extracting(Experiment::name).containsExactly("rooms", "kill");
        assertThat(plan.selected()).allSatisfy(e -> assertThat(e.configurations()).extracting(Configuration::name)
                .containsExactly("sticky"));
    }

    @Test
    void theBatchDrainClosesANodesShareWithinSixSecondsAtAnySize() {
        for (int users : List.of(12, 90, 1000, 5000)) {
            Plan plan = new Plan(List.of("drain-batches"), 1, Duration.ZERO, Duration.ofSeconds(30), users, 1);
            int batch = Experiment.drainBatch(plan);
            assertThat(plan.selected().get(0).fault().description()).contains(batch + " sockets closed per second");
            assertThat(Math.ceil(users / 3.0 / batch)).as(users + " users, " + batch + " a second").isLessThanOrEqualTo(6);
        }
        assertThat(Experiment.drainBatch(new Plan(List.of(), 1, Duration.ZERO, Duration.ZERO, 90, 1))).isEqualTo(5);
    }
}
