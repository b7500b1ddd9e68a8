package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void aSpreadIsTheMedianWithTheRangeOrTheOneValue() {
        assertThat(BenchReport.spread(List.of(3.0, 1.0, 2.0), "%.0f", 1)).isEqualTo("2 (1–3)");
        assertThat(BenchReport.spread(List.of(0.5), "%.0f %%", 100)).isEqualTo("50 %");
        assertThat(BenchReport.spread(List.of(), "%.0f", 1)).isEqualTo("none");
    }

    @Test
    void eachRepeatIsComparedWithTheFloorOfTheSameRepeat() {
        List<Fanout.Step> steps = new ArrayList<>();
        // Repeat 1: floor peaks at 100k, the node at 80k (80 %); repeat 2: 200k and 180k (90 %).
        steps.add(step("floor", 1, 50_000, 50_000, false));
        steps.add(step("floor", 1, 90_000, 100_000, true));
        steps.add(step("node ×1", 1, 40_000, 40_000, false));
        steps.add(step("node ×1", 1, 70_000, 80_000, true));
        steps.add(step("floor", 2, 150_000, 200_000, true));
        steps.add(step("floor", 2, 100_000, 100_000, false));
        steps.add(step("node ×1", 2, 90_000, 90_000, false));
        steps.add(step("node ×1", 2, 160_000, 180_000, true));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("fanout", steps);
        String md = BenchReport.markdown(data);
        // Sustained: node 40k/50k = 80 % and 90k/100k = 90 %; peak: 80 % and 90 %.
        assertThat(md).contains("| 1,000 | node ×1 | 2 | 90,000 (40,000–90,000) | 90 % (80 %–90 %) |");
        assertThat(md).contains("| 180,000 (80,000–180,000) | 90 % (80 %–90 %) |");
        assertThat(md).contains("| 1,000 | floor | 2 | 100,000 (50,000–100,000) | 100 % (100 %–100 %) |");
    }

    private static Fanout.Step step(String target, int repeat, double delivered, double read, boolean saturated) {
        return new Fanout.Step(target, "rising", repeat, 1000, 100, 5, 500, 500_000, (long) (delivered * 5), delivered, read,
                Map.of("p50", 1.0, "p99", 2.0, "p999", 3.0), 0.2, 10.0, 8.0, 0, saturated);
    }
}
