package dev.wslab.server.config;

import static dev.wslab.settings.NodeSettings.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything a node can be told, grouped by what it governs. Built once at start-up; nothing else
 * in the node reads the environment. The settings themselves (name, default, meaning) are declared
 * once, in {@link dev.wslab.settings.NodeSettings}, which the launcher and the load tests use too.
 *
 * <p>Each setting is read from a system property ({@code -Dwslab.port=9002}) or, failing that, an
 * environment variable ({@code WSLAB_PORT=9002}); the property wins so a test or a one-off run can
 * override what the environment says.
 */
public record Config(String nodeId, Network network, Bus bus, Limits limits, Liveness liveness, Balance balance,
        Sessions sessions, Auth auth) {

    /** Which cross-node bus the node uses. */
    public enum BrokerKind {
        /** Redis pub/sub (sharded on a Redis Cluster): every node with a room's members sees its events. */
        REDIS,
        /** In-process only: correct for one node, loses cross-node messages by design. */
        LOCAL
    }

    /** Where the HTTP transports' sessions (SSE, long-polling) can be served. */
    public enum SessionMode {
        /** Only the node that made a session knows it: every request must reach it (a sticky load balancer). */
        LOCAL,
        /** The owner's address is in Redis: a node that gets a request for another's session forwards it there. */
        SHARED
    }

    /** Where the node listens and how it names itself to others and to HAProxy. */
    public record Network(String host, int port, String adminHost, int adminPort, int ioThreads, String lbHeader,
            String advertiseAddress, List<String> allowedOrigins) {}

    /** The bus and what it keeps. */
    public record Bus(String redisUri, List<String> redisCluster, BrokerKind broker, String keyPrefix, Duration redisTimeout,
            int historyLength, Duration historyTtl, Duration heartbeatInterval) {
        public Bus {
            redisCluster = List.copyOf(redisCluster);
            if (!redisUri.isBlank() && !redisCluster.isEmpty()) {
                throw new IllegalArgumentException("set " + REDIS_URI.env() + " (one Redis) or " + REDIS_CLUSTER.env()
                        + " (a Redis Cluster's seed nodes), not both");
            }
            if (broker == BrokerKind.REDIS && redisUri.isBlank() && redisCluster.isEmpty()) {
                throw new IllegalArgumentException("broker=redis needs " + REDIS_URI.env() + " or " + REDIS_CLUSTER.env());
            }
            for (String seed : redisCluster) {
                if (!seed.matches("[^:\\s]+:\\d{1,5}")) {
                    throw new IllegalArgumentException(REDIS_CLUSTER.env() + " is host:port,host:port,…: not " + seed);
                }
            }
        }
    }

    /** What one client, one request or the whole node may take. */
    public record Limits(int maxFrameBytes, int maxHttpBodyBytes, int outboundQueueFrames, int maxRoomsPerConnection,
            int publishRate, Duration requestTimeout, Duration idleTimeout, int maxHeadBytes, int maxHeaders,
            int maxConnections) {
        public Limits {
            if (requestTimeout.toMillis() < 100 || maxHeadBytes < 1024 || maxHeaders < 8 || maxConnections < 1) {
                throw new IllegalArgumentException(REQUEST_TIMEOUT_MS.env() + " must be at least 100, " + MAX_HEADER_BYTES.env()
                        + " at least 1024, " + MAX_HEADERS.env() + " at least 8, " + MAX_CONNECTIONS.env() + " positive");
            }
        }
    }

    /** How a silent peer is found out, and how often presence is announced. */
    public record Liveness(Duration pingInterval, Duration pingTimeout, Duration presenceInterval) {}

    /** The agent, the rebalancer and the drain. */
    public record Balance(int agentPort, Duration balanceInterval, boolean rebalance, double rebalanceTolerance,
            int rebalanceRate, Duration rebalanceRetry, Duration drainGrace) {
        public Balance {
            if (balanceInterval.toMillis() < 100 || rebalanceRate < 1 || rebalanceTolerance <= 0) {
                throw new IllegalArgumentException(BALANCE_INTERVAL_MS.env() + " must be at least 100, "
                        + REBALANCE_RATE.env() + " and " + REBALANCE_TOLERANCE_PCT.env() + " at least 1");
            }
        }
    }

    /** The HTTP transports' sessions. */
    public record Sessions(SessionMode mode, Duration pollTimeout) {}

    /** Who may connect and publish. Secrets stay out of logs and error messages. */
    public record Auth(boolean anonymous, String authSecret, String apiKey) {
        public Auth {
            if (!anonymous && authSecret.isBlank()) {
                throw new IllegalArgumentException(ANONYMOUS.env() + "=false needs " + AUTH_SECRET.env() + " to verify client tokens");
            }
            if (!authSecret.isBlank() && authSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                throw new IllegalArgumentException(AUTH_SECRET.env() + " must be at least 32 bytes");
            }
        }

        @Override
        public String toString() {
            return "Auth[anonymous=" + anonymous + ", authSecret=" + (authSecret.isBlank() ? "unset" : "set")
                    + ", apiKey=" + (apiKey.isBlank() ? "unset" : "set") + "]";
        }
    }

    public Config {
        if (!nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("node id must be 1-64 of [A-Za-z0-9_.-]: " + nodeId);
        }
    }

    public static Config fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    public static Config from(Map<String, String> env, Properties props) {
        SettingsReader r = new SettingsReader(env, props);
        int ioThreads = r.integer(IO_THREADS);
        String redisUri = r.string(REDIS_URI);
        List<String> redisCluster = java.util.Arrays.stream(r.string(REDIS_CLUSTER).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        String brokerName = r.string(BROKER);
        BrokerKind broker = brokerName.isBlank()
                ? (redisUri.isBlank() && redisCluster.isEmpty() ? BrokerKind.LOCAL : BrokerKind.REDIS)
                : BrokerKind.valueOf(brokerName.trim().toUpperCase());
        Network network = new Network(r.string(HOST), r.integer(PORT), r.string(ADMIN_HOST).trim(), r.integer(ADMIN_PORT),
                ioThreads > 0 ? ioThreads : Math.max(2, Runtime.getRuntime().availableProcessors()), r.string(LB_HEADER),
                r.string(ADVERTISE_ADDR).trim(),
                java.util.Arrays.stream(r.string(ALLOWED_ORIGINS).split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList());
        Bus bus = new Bus(redisUri, redisCluster, broker, r.string(KEY_PREFIX), r.millis(REDIS_TIMEOUT_MS), r.integer(HISTORY_LENGTH),
                r.millis(HISTORY_TTL_MS), r.millis(HEARTBEAT_MS));
        Limits limits = new Limits(r.integer(MAX_FRAME_BYTES), r.integer(MAX_HTTP_BODY_BYTES), r.integer(OUTBOUND_QUEUE),
                r.integer(MAX_ROOMS), r.integer(PUBLISH_RATE), r.millis(REQUEST_TIMEOUT_MS), r.millis(IDLE_TIMEOUT_MS),
                r.integer(MAX_HEADER_BYTES), r.integer(MAX_HEADERS),
                r.integer(MAX_CONNECTIONS) > 0 ? r.integer(MAX_CONNECTIONS) : fromFileLimit());
        Liveness liveness = new Liveness(r.millis(PING_INTERVAL_MS), r.millis(PING_TIMEOUT_MS), r.millis(PRESENCE_MS));
        Balance balance = new Balance(r.integer(AGENT_PORT), r.millis(BALANCE_INTERVAL_MS), r.bool(REBALANCE),
                r.integer(REBALANCE_TOLERANCE_PCT) / 100.0, r.integer(REBALANCE_RATE), r.millis(REBALANCE_RETRY_MS),
                r.millis(DRAIN_GRACE_MS));
        Sessions sessions = new Sessions(r.choice(SESSIONS, SessionMode.class), r.millis(POLL_TIMEOUT_MS));
        Auth auth = new Auth(r.bool(ANONYMOUS), r.string(AUTH_SECRET), r.string(API_KEY));
        return new Config(r.string(NODE_ID), network, bus, limits, liveness, balance, sessions, auth);
    }

    /** Each socket is a descriptor; the rest (Redis, jars, epoll, logs) fits in the tenth left over. */
    private static int fromFileLimit() {
        long limit = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 10_000;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(100, limit * 9 / 10));
    }

    /** Defaults for a single node on any free port: what tests start from. */
    public static Config defaults() {
        return from(Map.of(), new Properties());
    }

    /** Where other nodes reach this node's HTTP listener on {@code port}: the advertised address, else the bound one. */
    public String advertised(int port) {
        if (!network.advertiseAddress().isEmpty()) {
            return network.advertiseAddress();
        }
        String h = network.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (java.net.UnknownHostException e) {
                h = "127.0.0.1";
            }
        }
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
