package dev.wslab.loadtest.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The experiments are declared once (Experiment.all); the options' lists and the checks come from there. */
class PlanTest {
    @Test
    void eachOptionRunsItsGroupOfTheDeclaredExperimentsInOrder() {
        assertThat(Plan.EXPERIMENTS).containsExactly("rooms", "churn", "restart", "backend", "scaleout");
        assertThat(Plan.DRAINS).containsExactly("drain-all", "drain-batches", "drain-spread", "drain-lb");
        assertThat(Plan.TRANSPORTS).containsExactly("transports");
        assertThat(Plan.CHAOS).containsExactly("kill", "drain", "rolling", "redis", "redis-failover", "partition");
        List<String> grouped = new ArrayList<>();
        for (List<String> group : List.of(Plan.EXPERIMENTS, Plan.DRAINS, Plan.TRANSPORTS, Plan.CHAOS)) {
            grouped.addAll(group);
        }
        assertThat(grouped).as("every declared experiment in exactly one group")
                .containsExactlyElementsOf(Experiment.all(Plan.quick()).stream().map(Experiment::name).toList());
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
}
