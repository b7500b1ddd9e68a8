package dev.wslab.server;

import dev.wslab.server.auth.Authenticator;
import dev.wslab.server.balance.Balancer;
import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.broker.RedisBroker;
import dev.wslab.server.client.Admission;
import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.client.Keepalive;
import dev.wslab.server.client.Lb;
import dev.wslab.server.commands.Dispatcher;
import dev.wslab.server.commands.Presence;
import dev.wslab.server.commands.RoomCommands;
import dev.wslab.server.config.Config;
import dev.wslab.server.demo.DemoPage;
import dev.wslab.server.guard.ConnectionCap;
import dev.wslab.server.guard.GuardedServer;
import dev.wslab.server.guard.HeadGuard;
import dev.wslab.server.http.AdminApi;
import dev.wslab.server.http.Health;
import dev.wslab.server.http.HttpApi;
import dev.wslab.server.http.Resources;
import dev.wslab.server.hub.Hub;
import dev.wslab.server.metrics.JvmMetrics;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.redis.RedisConnections;
import dev.wslab.server.redis.RedisKeys;
import dev.wslab.server.state.ClusterHeartbeat;
import dev.wslab.server.state.NodeInfo;
import dev.wslab.server.state.SharedState;
import dev.wslab.server.transport.Sessions;
import dev.wslab.server.ws.WsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One wslab node, and only its wiring: the constructor builds every part in the order a message
 * flows (storage, hub, commands, the transports that feed them), {@link #start} binds the listeners
 * and then lets events in, {@link #close} stops it all in reverse. Behaviour lives in the packages.
 * {@code Main} only builds the config and the registry; tests start nodes the same way on port 0.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());

    private final Config config;
    private final Metrics metrics;
    private final JvmMetrics jvmMetrics;
    private final RedisConnections redis;
    private final SharedState state;
    private final Broker broker;
    private final Hub hub;
    private final ClientRegistry clients = new ClientRegistry();
    private final ScheduledExecutorService timer;
    private final Balancer balancer;
    private final HeadGuard headGuard;
    private final HttpHandler routes;
    private final Undertow admin;
    private final ClusterHeartbeat heartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();
    private GuardedServer server;

    private Node(Config config, PrometheusMeterRegistry registry, Clock clock) {
        this.config = config;
        long startedAt = clock.millis();
        registry.config().commonTags("node", config.nodeId());
        this.metrics = new Metrics(registry);
        this.jvmMetrics = new JvmMetrics(registry);
        if (config.bus().broker() == Config.BrokerKind.REDIS) {
            RedisKeys keys = new RedisKeys(config.bus().keyPrefix());
            this.redis = RedisConnections.connect(config.bus().redisUri(), config.bus().redisCluster(), config.bus().redisTimeout());
            this.state = SharedState.redis(config.nodeId(), keys, redis.commands());
            this.broker = new RedisBroker(config.nodeId(), keys, redis, clock, config.bus().historyLength(), config.bus().historyTtl());
        } else {
            this.redis = null;
            this.state = SharedState.local();
            this.broker = new LocalBroker(config.nodeId(), config.bus().historyLength(), clock);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wslab-node-timer");
            t.setDaemon(true);
            return t;
        });
        Codec codec = new Codec();
        this.hub = new Hub(broker, metrics, clock, codec);
        Presence presence = new Presence(broker, state.members(), codec, timer, config.liveness().presenceInterval());
        RoomCommands commands = new RoomCommands(config.nodeId(), codec, broker, state.members(), hub, presence, metrics, clock,
                config.limits().maxRoomsPerConnection(), config.bus().historyLength());
        Dispatcher dispatcher = new Dispatcher(config.nodeId(), config.limits().publishRate(), codec, commands, clients, metrics);
        this.balancer = new Balancer(config, state.cluster()::cluster, clients, codec, metrics, clock, timer);

        Authenticator authenticator = new Authenticator(config.auth().anonymous(), config.auth().authSecret(), config.auth().apiKey(), clock);
        ConnectionCap cap = new ConnectionCap(config.limits().maxConnections(), clients::size, metrics::error);
        Admission admission = new Admission(balancer::isDraining, cap, authenticator, config.network().lbHeader(), metrics);
        WsEndpoint ws = new WsEndpoint(config, dispatcher, admission, metrics);
        Sessions sessions = new Sessions(config, codec, dispatcher, metrics, admission, state.sessions(), this::address);
        HttpApi api = new HttpApi(codec, commands, state.cluster(), metrics, registry, this::health, config.limits().maxHttpBodyBytes(),
                authenticator);
        this.routes = api.routes(ws.handler(), DemoPage.handler(), sessions::mount);
        this.headGuard = new HeadGuard(config.limits().requestTimeout(), config.limits().maxHeadBytes(), config.limits().maxHeaders(), metrics::error);
        this.admin = config.network().adminPort() > 0
                ? Undertow.builder().addHttpListener(config.network().adminPort(), config.network().adminHost()).setIoThreads(1).setWorkerThreads(1)
                        .setHandler(new AdminApi(codec, balancer::drain, balancer::undrain, this::health, balancer::load,
                                config.balance().drainGrace(), new Resources(clients::size), hub::members).routes())
                        .build()
                : null;

        metrics.bindGauges(hub::size, broker::isConnected);
        for (Lb lb : Lb.values()) {
            metrics.trackLb(lb.label());
        }
        this.heartbeat = new ClusterHeartbeat(state.cluster(),
                () -> new NodeInfo(config.nodeId(), clients.size(), startedAt, balancer.isDraining()),
                config.bus().heartbeatInterval());
    }

    /** Builds and starts a node; the caller owns it and must close it. */
    public static Node start(Config config, PrometheusMeterRegistry registry, Clock clock) {
        Node node = new Node(config, registry, clock);
        try {
            node.startParts();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        LOG.log(Level.INFO, "event=node_started node=" + config.nodeId() + " port=" + node.port()
                + " admin_port=" + (node.admin == null ? "off" : config.network().adminPort())
                + " broker=" + node.broker.kind() + " prefix=" + config.bus().keyPrefix()
                + " agent_port=" + (node.balancer.agentPort() < 0 ? "off" : node.balancer.agentPort())
                + " rebalance=" + config.balance().rebalance()
                + " sessions=" + config.sessions().mode().name().toLowerCase() + " max_connections=" + config.limits().maxConnections()
                + " request_timeout_ms=" + config.limits().requestTimeout().toMillis());
        return node;
    }

    private void startParts() {
        // A restarted node reuses its id: counts left by its previous life must not linger.
        state.cluster().forget(config.nodeId()).toCompletableFuture().join();
        broker.start(hub.listener());
        server = GuardedServer.start(config.network().host(), config.network().port(), config.network().ioThreads(), 4, config.limits().idleTimeout(), headGuard, routes);
        headGuard.start(timer);
        if (admin != null) {
            admin.start();
        }
        heartbeat.start();
        balancer.start(timer);
        new Keepalive(clients, metrics, config.liveness().pingInterval(), config.liveness().pingTimeout()).start(timer);
    }

    public String nodeId() {
        return config.nodeId();
    }

    public int port() {
        return server == null ? 0 : server.port();
    }

    /** Where other nodes reach this one's HTTP listener: what shared sessions forward to. */
    public String address() {
        return config.advertised(port());
    }

    public Metrics metrics() {
        return metrics;
    }

    public int connectionCount() {
        return clients.size();
    }

    public Health health() {
        if (balancer.isDraining()) {
            return new Health(false, "draining", config.nodeId(), broker.kind());
        }
        if (!broker.isConnected()) {
            return new Health(false, "redis unreachable", config.nodeId(), broker.kind());
        }
        return new Health(true, "ok", config.nodeId(), broker.kind());
    }

    /** Shutdown order: refuse new sockets, close open ones with 1001, leave the cluster, then the bus. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        balancer.close();
        heartbeat.close();
        int open = clients.size();
        clients.closeAll(CloseCodes.GOING_AWAY, CloseCodes.SHUTTING_DOWN);
        awaitNoClients(Duration.ofSeconds(2));
        try {
            state.cluster().forget(config.nodeId()).toCompletableFuture().get(2, TimeUnit.SECONDS);
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
        jvmMetrics.close();
        timer.shutdownNow();
        LOG.log(Level.INFO, "event=node_stopped node=" + config.nodeId() + " closed_connections=" + open);
    }

    private void awaitNoClients(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (clients.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
