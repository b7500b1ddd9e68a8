package dev.wslab.loadtest.stats;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How evenly connections sit on the nodes: max/min (infinite when a node has none — reported as
 * null) and the coefficient of variation (population standard deviation over the mean).
 */
public record Spread(int nodes, long min, long max, Double maxOverMin, Double cv) {

    public static Spread of(Collection<? extends Number> perNode) {
        if (perNode.isEmpty()) {
            return new Spread(0, 0, 0, null, null);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        for (Number n : perNode) {
            min = Math.min(min, n.longValue());
            max = Math.max(max, n.longValue());
            sum += n.doubleValue();
        }
        double mean = sum / perNode.size();
        double squares = 0;
        for (Number n : perNode) {
            squares += (n.doubleValue() - mean) * (n.doubleValue() - mean);
        }
        Double cv = mean == 0 ? null : Math.sqrt(squares / perNode.size()) / mean;
        return new Spread(perNode.size(), min, max, min == 0 ? null : (double) max / min, cv);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodes", nodes);
        m.put("min", min);
        m.put("max", max);
        m.put("maxOverMin", maxOverMin);
        m.put("cv", cv);
        return m;
    }
}
