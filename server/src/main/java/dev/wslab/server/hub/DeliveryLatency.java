package dev.wslab.server.hub;

import dev.wslab.server.client.Lb;
import dev.wslab.server.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Per-recipient delivery latency, by policy: each recipient's time from the publish (on any node)
 * to its frame being written to its socket on its I/O thread. The timers are looked up once, so
 * a delivery costs one histogram record and no map lookup.
 */
public final class DeliveryLatency {
    private final Timer[] byLb;

    public DeliveryLatency(Metrics metrics) {
        Lb[] lbs = Lb.values();
        this.byLb = new Timer[lbs.length];
        for (Lb lb : lbs) {
            byLb[lb.ordinal()] = metrics.deliveryLatency(lb.label());
        }
    }

    void record(Lb lb, long nanos) {
        byLb[lb.ordinal()].record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
