package dev.wslab.loadtest.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of one experiment through one configuration: what Gatling and the scenario measured,
 * what Prometheus saw on the nodes over the measured window, and how many sessions HAProxy gave each
 * server.
 */
public record RunRecord(String experiment, String configuration, int repeat, int position, GatlingRun.Result gatling,
                        Map<String, Double> server, Map<String, Long> haproxySessions, Path dir) {

    /** A number from the scenario's wslab.json by path ("roundTripMillis.p99"), or null. */
    public Double scenario(String path) {
        JsonNode node = gatling.wslab();
        if (node == null) {
            return null;
        }
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node.isNumber() ? node.asDouble() : null;
    }

    /**
     * Seconds from the fault to the first (or last) reconnect the clients made after it: when the
     * fault cut their sockets. Null without a fault or without a reconnect after it.
     */
    public Double reconnectAfterFault(boolean last) {
        Double faultAt = serverValue("fault_at_ms");
        JsonNode times = gatling.wslab() == null ? null : gatling.wslab().path("reconnectTimes");
        if (faultAt == null || times == null || !times.isArray()) {
            return null;
        }
        Double found = null;
        for (JsonNode t : times) {
            double seconds = (t.asLong() - faultAt) / 1000.0;
            if (seconds >= 0 && (found == null || (last ? seconds > found : seconds < found))) {
                found = seconds;
            }
        }
        return found;
    }

    public Double serverValue(String key) {
        return server.get(key);
    }

    /** Max/min of the new sessions HAProxy gave each server of this run's backend; null if one got none. */
    public Double haproxySpread() {
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (long v : haproxySessions.values()) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        return haproxySessions.isEmpty() || min == 0 ? null : (double) max / min;
    }

    public Double lostPercent() {
        Double owed = scenario("deliveriesOwed");
        Double lost = scenario("messagesLost");
        return owed == null || lost == null || owed == 0 ? null : 100 * lost / owed;
    }

    /**
     * Error events of one code the clients received: 0 when the scenario counted errors and none had
     * this code, null when it reported no error counts at all (then nothing is known).
     */
    public Double errorEvents(String code) {
        JsonNode errors = errorCounts();
        return errors == null ? null : errors.path(code).asDouble(0);
    }

    /** Error events the clients received, all codes together. */
    public Double errorEvents() {
        JsonNode errors = errorCounts();
        if (errors == null) {
            return null;
        }
        double sum = 0;
        for (JsonNode n : errors) {
            sum += n.asDouble();
        }
        return sum;
    }

    /** The scenario's error counts by code, or null when it reported none. */
    private JsonNode errorCounts() {
        JsonNode errors = gatling.wslab() == null ? null : gatling.wslab().path("errors");
        return errors == null || !errors.isObject() ? null : errors;
    }
}
