package dev.wslab.server.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainPlanTest {
    @Test
    void strategiesParseFromTheirLabels() {
        for (DrainPlan.Strategy s : DrainPlan.Strategy.values()) {
            assertThat(DrainPlan.Strategy.parse(s.label())).isEqualTo(s);
        }
        assertThat(DrainPlan.Strategy.parse(" LB-Only ")).isEqualTo(DrainPlan.Strategy.LB_ONLY);
    }

    @Test
    void unknownStrategiesAndNonsenseParametersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DrainPlan.Strategy.parse("gently")).hasMessageContaining("all, batches, spread or lb-only");
        assertThatThrownBy(() -> new DrainPlan(DrainPlan.Strategy.BATCHES, Duration.ZERO, 0, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> new DrainPlan(DrainPlan.Strategy.ALL, Duration.ofMillis(-1), 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("negative");
    }
}
