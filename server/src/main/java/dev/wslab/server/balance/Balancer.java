package dev.wslab.server.balance;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.config.Config;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ServerEvent;
import dev.wslab.server.state.NodeInfo;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Everything that decides where a node's clients should be: whether it is draining, the weight its
 * agent serves HAProxy, the cluster view, the rebalancer and the drain. One per node; the node
 * builds it and calls {@link #start} once the listeners are up.
 */
public final class Balancer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Balancer.class.getName());

    private final Config config;
    private final ClientRegistry clients;
    private final Codec codec;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ClusterView view;
    private final Rebalancer rebalancer;
    private final Drainer drainer;
    private final LoadAgent agent;
    private final Random random = new Random();

    public Balancer(Config config, Supplier<CompletionStage<List<NodeInfo>>> cluster, ClientRegistry clients, Codec codec,
            Metrics metrics, Clock clock, ScheduledExecutorService timer) {
        this.config = config;
        this.clients = clients;
        this.codec = codec;
        this.view = new ClusterView(config.nodeId(), cluster, clients::size, clients::queuedFrames, config.limits().maxConnections());
        this.rebalancer = config.balance().rebalance()
                ? new Rebalancer(config.nodeId(), view, this::migrate, metrics, clock, config.balance().rebalanceTolerance(),
                        (int) Math.max(1, config.balance().rebalanceRate() * config.balance().balanceInterval().toMillis() / 1000),
                        config.balance().rebalanceRetry().plus(config.bus().heartbeatInterval().multipliedBy(2)),
                        config.bus().heartbeatInterval().multipliedBy(2))
                : null;
        this.drainer = new Drainer(clients, c -> c.close(CloseCodes.GOING_AWAY, CloseCodes.DRAINING), timer, random);
        this.agent = config.balance().agentPort() > 0 ? new LoadAgent(config.network().host(), config.balance().agentPort(), () -> view.weight().percent()) : null;
        metrics.bindBalanceGauges(() -> view.spread().maxOverMin(), () -> view.spread().cv(), view::share,
                () -> view.weight().percent());
    }

    /** Starts the agent and the periodic look at the cluster (and, when on, the rebalancer). */
    public void start(ScheduledExecutorService timer) {
        if (agent != null) {
            agent.start();
        }
        long every = config.balance().balanceInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    public boolean isDraining() {
        return draining.get();
    }

    /** The agent's port, or -1 when there is none: for the start line. */
    public int agentPort() {
        return agent == null ? -1 : agent.port();
    }

    /**
     * Stops taking new sockets at once (health turns 503, upgrades are refused), then closes the
     * open sockets with 1001 by the plan once its grace is over, by which time the load balancer has
     * stopped sending clients here and they can reconnect elsewhere.
     */
    public void drain(DrainPlan plan) {
        draining.set(true);
        drainer.start(plan);
        LOG.log(Level.INFO, "event=drain_started node=" + config.nodeId() + " strategy=" + plan.strategy().label()
                + " grace_ms=" + plan.grace().toMillis() + " connections=" + clients.size());
    }

    public void drain(Duration grace) {
        drain(DrainPlan.all(grace));
    }

    public void undrain() {
        drainer.cancel();
        draining.set(false);
        LOG.log(Level.INFO, "event=drain_cancelled node=" + config.nodeId());
    }

    /** What {@code GET /admin/load} answers: this node's load, its weight and the spread it sees. */
    public Map<String, Object> load() {
        return view.report(draining.get());
    }

    /** Reads the cluster's counts for the gauges and the agent; then, if on and not draining, rebalances. */
    private void tick() {
        try {
            view.refresh();
            if (rebalancer != null && !draining.get()) {
                rebalancer.tick();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=balance_failed node=" + config.nodeId() + " error=" + e);
        }
    }

    /**
     * Asks up to {@code count} random clients to move: a {@code move} event with a retry-after drawn
     * uniformly from [0, WSLAB_REBALANCE_RETRY_MS], so they do not all arrive elsewhere at once, then
     * close 4002.
     */
    private int migrate(int count) {
        long window = config.balance().rebalanceRetry().toMillis();
        List<Client> chosen = clients.pickOpen(count, random);
        for (Client client : chosen) {
            long retryAfterMs = window == 0 ? 0 : random.nextLong(window + 1);
            client.closeAfter(codec.encode(new ServerEvent.Move("rebalance", retryAfterMs, config.nodeId())),
                    CloseCodes.MIGRATE, CloseCodes.migrate(retryAfterMs));
        }
        return chosen.size();
    }

    /** The node is stopping: no more new clients, no drain in flight, no agent answers. */
    @Override
    public void close() {
        draining.set(true);
        drainer.cancel();
        if (agent != null) {
            agent.close();
        }
    }
}
