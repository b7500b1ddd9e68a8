package dev.wslab.server.balance;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.ClientRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Closes a draining node's sockets by a {@link DrainPlan}: all at once, in batches, or spread at
 * random. The sockets are taken as they are when the grace period ends, in random order. Undrain
 * ({@link #cancel()}) stops whatever has not run yet.
 */
public final class Drainer {
    private final ClientRegistry connections;
    private final Consumer<Client> close;
    private final ScheduledExecutorService timer;
    private final Random random;
    private final List<ScheduledFuture<?>> pending = new ArrayList<>();

    public Drainer(ClientRegistry connections, Consumer<Client> close, ScheduledExecutorService timer, Random random) {
        this.connections = connections;
        this.close = close;
        this.timer = timer;
        this.random = random;
    }

    public synchronized void start(DrainPlan plan) {
        cancel();
        if (plan.strategy() == DrainPlan.Strategy.LB_ONLY) {
            return;
        }
        pending.add(timer.schedule(() -> closeBy(plan), plan.grace().toMillis(), TimeUnit.MILLISECONDS));
    }

    public synchronized void cancel() {
        pending.forEach(f -> f.cancel(false));
        pending.clear();
    }

    private synchronized void closeBy(DrainPlan plan) {
        List<Client> open = connections.pickOpen(Integer.MAX_VALUE, random);
        switch (plan.strategy()) {
            case ALL -> open.forEach(close);
            case BATCHES -> {
                for (int from = 0, batch = 0; from < open.size(); from += plan.batchSize(), batch++) {
                    List<Client> slice = List.copyOf(open.subList(from, Math.min(open.size(), from + plan.batchSize())));
                    pending.add(timer.schedule(() -> slice.forEach(close), batch * plan.interval().toMillis(),
                            TimeUnit.MILLISECONDS));
                }
            }
            case SPREAD -> {
                for (Client c : open) {
                    long at = plan.window().isZero() ? 0 : random.nextLong(plan.window().toMillis() + 1);
                    pending.add(timer.schedule(() -> close.accept(c), at, TimeUnit.MILLISECONDS));
                }
            }
            case LB_ONLY -> { }
        }
    }
}
