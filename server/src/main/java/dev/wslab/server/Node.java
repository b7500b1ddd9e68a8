package dev.wslab.server;

import dev.wslab.server.balance.ClusterView;
import dev.wslab.server.balance.DrainPlan;
import dev.wslab.server.balance.Drainer;
import dev.wslab.server.balance.LoadAgent;
import dev.wslab.server.balance.Rebalancer;
import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.broker.RedisBroker;
import dev.wslab.server.broker.RedisConnections;
import dev.wslab.server.guard.ConnectionCap;
import dev.wslab.server.guard.GuardedServer;
import dev.wslab.server.guard.HeadGuard;
import dev.wslab.server.http.AdminApi;
import dev.wslab.server.http.Health;
import dev.wslab.server.auth.Authenticator;
import dev.wslab.server.demo.DemoPage;
import dev.wslab.server.http.HttpApi;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.rooms.Fanout;
import dev.wslab.server.rooms.Presence;
import dev.wslab.server.rooms.RoomCommands;
import dev.wslab.server.rooms.RoomRegistry;
import dev.wslab.server.rooms.SeqGapFill;
import dev.wslab.server.state.ClusterHeartbeat;
import dev.wslab.server.state.LocalRoomState;
import dev.wslab.server.state.NodeInfo;
import dev.wslab.server.state.RedisKeys;
import dev.wslab.server.state.RedisRoomState;
import dev.wslab.server.state.RoomState;
import dev.wslab.server.transport.Sessions;
import dev.wslab.server.ws.Clients;
import dev.wslab.server.ws.ConnectionRegistry;
import dev.wslab.server.ws.Keepalive;
import dev.wslab.server.ws.WsEndpoint;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.websockets.core.CloseMessage;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One wslab node: wires the packages together, starts the listeners, and stops them in order.
 * {@code Main} only builds the config and the registry; tests start nodes the same way on port 0.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    static final String DRAIN_REASON = "node draining: reconnect to another node";
    /** Application close code (4000-4999 are ours): the node asks the client to move to another node. */
    public static final int MIGRATE = 4002;

    private final Config config;
    private final Metrics metrics;
    private final RedisConnections redis;
    private final RoomState state;
    private final Broker broker;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ClusterHeartbeat heartbeat;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startedAt;
    private final HeadGuard headGuard;
    private final ConnectionCap cap;
    private final HttpHandler routes;
    private volatile GuardedServer server;
    private final Undertow admin;
    private volatile Fanout fanout;
    private volatile SeqGapFill gapFill;
    private volatile int port;
    private final ClusterView clusterView;
    private final Rebalancer rebalancer;
    private final Drainer drainer;
    private final LoadAgent agent;
    private final Sessions sessions;
    private final Codec codec = new Codec();

    private Node(Config config, PrometheusMeterRegistry registry, Clock clock) {
        this.config = config;
        this.startedAt = clock.millis();
        registry.config().commonTags("node", config.nodeId());
        this.metrics = new Metrics(registry);
        Broker.Listener listener = (room, envelope) -> gapFill.onRoomEvent(room, envelope);
        if (config.broker() == Config.BrokerKind.REDIS) {
            RedisKeys keys = new RedisKeys(config.keyPrefix());
            this.redis = new RedisConnections(config.redisUri(), config.redisTimeout());
            this.state = new RedisRoomState(config.nodeId(), keys, redis.commands());
            this.broker = new RedisBroker(config.nodeId(), keys, redis, listener, clock, config.historyLength(),
                    config.historyTtl());
        } else {
            LocalRoomState local = new LocalRoomState(config.historyLength());
            this.redis = null;
            this.state = local;
            this.broker = new LocalBroker(config.nodeId(), local, listener, clock);
        }
        // A restarted node reuses its id: counts left by its previous life must not linger.
        state.forget(config.nodeId()).toCompletableFuture().join();

        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wslab-node-timer");
            t.setDaemon(true);
            return t;
        });
        RoomRegistry rooms = new RoomRegistry(broker, room -> gapFill.forget(room));
        this.fanout = new Fanout(rooms, metrics, clock);
        this.gapFill = new SeqGapFill(state, fanout, metrics);
        Presence presence = new Presence(broker, state, codec, timer, config.presenceInterval());
        RoomCommands commands = new RoomCommands(config.nodeId(), codec, broker, state, rooms, presence, metrics, clock,
                config.maxRoomsPerConnection(), config.historyLength());
        Authenticator authenticator = new Authenticator(config.anonymous(), config.authSecret(), config.apiKey(), clock);
        Clients clients = new Clients(config, codec, commands, connections, metrics);
        WsEndpoint ws = new WsEndpoint(config, clients, metrics, authenticator);
        this.cap = new ConnectionCap(config.maxConnections(), connections::size, metrics::error);
        this.headGuard = new HeadGuard(config.requestTimeout(), config.maxHeadBytes(), config.maxHeaders(), metrics::error);
        this.sessions = new Sessions(config, codec, clients, metrics, authenticator, state, this::address, draining::get, cap);
        HttpApi api = new HttpApi(codec, commands, state, metrics, registry, this::health, config.maxHttpBodyBytes(),
                authenticator);
        bindJvmMetrics(registry);
        metrics.bindGauges(rooms::size, broker::isConnected);
        for (dev.wslab.server.ws.Lb lb : dev.wslab.server.ws.Lb.values()) {
            metrics.trackLb(lb.label());
        }

        this.routes = api.routes(ws.handler(draining::get, cap), DemoPage.handler(), sessions::mount);
        this.admin = config.adminPort() > 0
                ? Undertow.builder().addHttpListener(config.adminPort(), config.adminHost()).setIoThreads(1).setWorkerThreads(1)
                        .setHandler(new AdminApi(codec, this::drain, this::undrain, this::health, this::load,
                                config.drainGrace(), new dev.wslab.server.http.Resources(connections::size)).routes())
                        .build()
                : null;
        java.util.Random random = new java.util.Random();
        this.clusterView = new ClusterView(config.nodeId(), state::cluster, connections::size, connections::queuedFrames,
                config.maxConnections());
        this.rebalancer = config.rebalance()
                ? new Rebalancer(config.nodeId(), clusterView, count -> migrate(count, random), metrics, clock,
                        config.rebalanceTolerance(),
                        (int) Math.max(1, config.rebalanceRate() * config.balanceInterval().toMillis() / 1000),
                        config.rebalanceRetry().plus(config.heartbeatInterval().multipliedBy(2)),
                        config.heartbeatInterval().multipliedBy(2))
                : null;
        this.drainer = new Drainer(connections, c -> c.close(CloseMessage.GOING_AWAY, DRAIN_REASON), timer, random);
        metrics.bindBalanceGauges(() -> clusterView.spread().maxOverMin(), () -> clusterView.spread().cv(),
                clusterView::share, () -> clusterView.weight().percent());
        this.agent = config.agentPort() > 0 ? new LoadAgent(config.host(), config.agentPort(), () -> clusterView.weight().percent()) : null;
        this.heartbeat = new ClusterHeartbeat(state,
                () -> new NodeInfo(config.nodeId(), connections.size(), startedAt, draining.get()),
                config.heartbeatInterval());
    }

    /** Builds and starts a node; the caller owns it and must close it. */
    public static Node start(Config config, PrometheusMeterRegistry registry, Clock clock) {
        Node node = new Node(config, registry, clock);
        try {
            node.server = GuardedServer.start(config.host(), config.port(), config.ioThreads(), 4, config.idleTimeout(),
                    node.headGuard, node.routes);
            node.port = node.server.port();
            node.headGuard.start(node.timer);
            if (node.admin != null) {
                node.admin.start();
            }
            node.heartbeat.start();
            if (node.agent != null) {
                node.agent.start();
            }
            node.timer.scheduleWithFixedDelay(node::balance, config.balanceInterval().toMillis(),
                    config.balanceInterval().toMillis(), TimeUnit.MILLISECONDS);
            new Keepalive(node.connections, node.metrics, config.pingInterval(), config.pingTimeout()).start(node.timer);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        LOG.log(Level.INFO, "event=node_started node=" + config.nodeId() + " port=" + node.port()
                + " admin_port=" + (node.admin == null ? "off" : config.adminPort())
                + " broker=" + node.broker.kind() + " prefix=" + config.keyPrefix()
                + " agent_port=" + (node.agent == null ? "off" : node.agent.port()) + " rebalance=" + config.rebalance()
                + " sessions=" + config.sessions().name().toLowerCase() + " max_connections=" + config.maxConnections()
                + " request_timeout_ms=" + config.requestTimeout().toMillis());
        return node;
    }

    public String nodeId() {
        return config.nodeId();
    }

    public int port() {
        return port;
    }

    /** Where other nodes reach this one's HTTP listener: what shared sessions forward to. */
    public String address() {
        if (!config.advertiseAddress().isEmpty()) {
            return config.advertiseAddress();
        }
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (java.net.UnknownHostException e) {
                host = "127.0.0.1";
            }
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public Metrics metrics() {
        return metrics;
    }

    public int connectionCount() {
        return connections.size();
    }

    public Health health() {
        if (draining.get()) {
            return new Health(false, "draining", config.nodeId(), broker.kind());
        }
        if (!broker.isConnected()) {
            return new Health(false, "redis unreachable", config.nodeId(), broker.kind());
        }
        return new Health(true, "ok", config.nodeId(), broker.kind());
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
                + " grace_ms=" + plan.grace().toMillis() + " connections=" + connections.size());
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
    public java.util.Map<String, Object> load() {
        return clusterView.report(draining.get());
    }

    /** Reads the cluster's counts for the gauges and the agent; then, if on and not draining, rebalances. */
    private void balance() {
        try {
            clusterView.refresh();
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
    private int migrate(int count, java.util.Random random) {
        long window = config.rebalanceRetry().toMillis();
        var chosen = connections.pickOpen(count, random);
        for (var connection : chosen) {
            long retryAfterMs = window == 0 ? 0 : random.nextLong(window + 1);
            connection.closeAfter(codec.encode(new dev.wslab.server.protocol.ServerEvent.Move("rebalance", retryAfterMs,
                    config.nodeId())), MIGRATE, "migrate: reconnect in " + retryAfterMs + " ms");
        }
        return chosen.size();
    }

    /** Shutdown order: refuse new sockets, close open ones with 1001, leave the cluster, then the bus. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        drainer.cancel();
        if (agent != null) {
            agent.close();
        }
        heartbeat.close();
        int open = connections.size();
        connections.closeAll(CloseMessage.GOING_AWAY, "node shutting down");
        awaitNoConnections(Duration.ofSeconds(2));
        try {
            state.forget(config.nodeId()).toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "event=forget_failed node=" + config.nodeId() + " error=" + e);
        }
        if (server != null) {
            server.close();
        }
        if (admin != null) {
            admin.stop();
        }
        broker.close();
        if (redis != null) {
            redis.close();
        }
        gcMetrics.close();
        timer.shutdownNow();
        LOG.log(Level.INFO, "event=node_stopped node=" + config.nodeId() + " closed_connections=" + open);
    }

    private void awaitNoConnections(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void bindJvmMetrics(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }
}
