package dev.wslab.loadtest.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of a sample; empty samples give nulls, never zeros. */
public record Percentiles(int count, Double p50, Double p95, Double p99, Double max) {

    public static Percentiles of(Collection<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.size());
        for (Number v : values) {
            sorted.add(v.doubleValue());
        }
        sorted.sort(null);
        if (sorted.isEmpty()) {
            return new Percentiles(0, null, null, null, null);
        }
        return new Percentiles(sorted.size(), rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    static double rank(List<Double> sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50", p50);
        m.put("p95", p95);
        m.put("p99", p99);
        m.put("max", max);
        return m;
    }
}
