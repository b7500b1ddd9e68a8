package dev.wslab.server.state;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Announces this node every interval, for three intervals: a node that stops beating (killed, cut
 * off) drops out of {@code /api/cluster} and out of member counts within about three intervals.
 */
public final class ClusterHeartbeat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterHeartbeat.class.getName());

    private final ClusterRegistry state;
    private final Supplier<NodeInfo> self;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private volatile boolean lastOk = true;

    public ClusterHeartbeat(ClusterRegistry state, Supplier<NodeInfo> self, Duration interval) {
        this.state = state;
        this.self = self;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wslab-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            state.announce(self.get(), interval.multipliedBy(3)).whenComplete((ok, error) -> {
                if ((error == null) != lastOk) {
                    lastOk = error == null;
                    LOG.log(error == null ? Level.INFO : Level.WARNING,
                            "event=heartbeat ok={0} error={1}", lastOk, error == null ? "-" : error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=heartbeat ok=false error={0}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
