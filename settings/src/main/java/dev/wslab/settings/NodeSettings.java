package dev.wslab.settings;

import java.util.List;

/**
 * Every setting of a node, declared once. The node's {@code Config} reads them; the launcher and
 * the load tests name them when they start nodes ({@code NodeSettings.PORT.env()}), so a renamed
 * setting cannot be missed there; the README's table is checked against {@link #ALL}.
 */
public final class NodeSettings {
    private NodeSettings() {}

    public static final Setting NODE_ID = new Setting("node.id", "node-1", "node name shown to clients and on every metric");
    public static final Setting HOST = new Setting("host", "0.0.0.0", "address the WebSocket/HTTP listener binds");
    public static final Setting PORT = new Setting("port", "9001", "WebSocket /ws, HTTP API, /health, /metrics (0 = any free port)");
    public static final Setting ADMIN_HOST = new Setting("admin.host", "127.0.0.1",
            "address the admin listener binds: loopback natively; the compose network's interface in Docker (the runner drains from another container). Never behind HAProxy");
    public static final Setting ADMIN_PORT = new Setting("admin.port", "0",
            "admin listener (drain, load), never behind HAProxy's frontends (0 = off)");
    public static final Setting REDIS_URI = new Setting("redis.uri", "", "Redis to join a cluster through; empty = single node");
    public static final Setting REDIS_CLUSTER = new Setting("redis.cluster", "",
            "Redis Cluster seed nodes, host:port,…: the bus on sharded pub/sub; instead of redis.uri");
    public static final Setting BROKER = new Setting("broker", "",
            "redis or local; default redis when a Redis URI is set, else local");
    public static final Setting KEY_PREFIX = new Setting("key.prefix", "wslab", "prefix of every Redis key and channel");
    public static final Setting LB_HEADER = new Setting("lb.header", "X-Wslab-Lb",
            "request header HAProxy sets to name its frontend; becomes the lb label (direct when absent)");
    public static final Setting MAX_FRAME_BYTES = new Setting("max.frame.bytes", "65536",
            "largest client text frame; larger ones are closed with 1009");
    public static final Setting MAX_HTTP_BODY_BYTES = new Setting("max.http.body.bytes", "65536",
            "largest body the publish API accepts (413 beyond)");
    public static final Setting OUTBOUND_QUEUE = new Setting("outbound.queue.frames", "1024",
            "frames queued for one socket before it is closed as a slow consumer (1008)");
    public static final Setting MAX_ROOMS = new Setting("max.rooms.per.connection", "100",
            "rooms one connection may be in at once");
    public static final Setting HEARTBEAT_MS = new Setting("heartbeat.ms", "2000",
            "how often a node announces itself in Redis; it expires after three missed beats");
    public static final Setting REDIS_TIMEOUT_MS = new Setting("redis.timeout.ms", "2000",
            "a Redis command not answered by then fails (the client gets an error, never silence)");
    public static final Setting DRAIN_GRACE_MS = new Setting("drain.grace.ms", "5000",
            "after a drain starts, how long sockets stay open before close 1001");

    public static final Setting HISTORY_LENGTH = new Setting("history.length", "1000",
            "messages kept per room for clients that resume with since; older gaps are reported as missed");
    public static final Setting HISTORY_TTL_MS = new Setting("history.ttl.ms", "86400000",
            "the oldest age a message in a room's history may reach (a quiet room's history goes whole after it)");

    public static final Setting PUBLISH_RATE = new Setting("publish.rate", "50",
            "publishes and incrs one connection may send per second (bursts of twice that); beyond: error rate_limited");
    public static final Setting PING_INTERVAL_MS = new Setting("ping.interval.ms", "15000",
            "how often the node pings every socket");
    public static final Setting PING_TIMEOUT_MS = new Setting("ping.timeout.ms", "45000",
            "a socket that sends nothing (not even a pong) for this long is closed with 4001");
    public static final Setting PRESENCE_MS = new Setting("presence.ms", "250",
            "a room's member count is announced at most this often per node; a burst of joins makes one presence event, not one per join");
    public static final Setting IO_THREADS = new Setting("io.threads", "0",
            "Undertow I/O threads, which read and write every socket; 0 = one per core, at least 2 (BENCHMARKS.md measures the choice)");
    public static final Setting AGENT_PORT = new Setting("agent.port", "0",
            "HAProxy agent-check port: answers this node's weight (0-100 %) from its connections, outbound queues, heap and connection cap (0 = off)");
    public static final Setting BALANCE_INTERVAL_MS = new Setting("balance.interval.ms", "1000",
            "how often the node reads the cluster's connection counts (skew gauges, weight) and the rebalancer runs");
    public static final Setting REBALANCE = new Setting("rebalance", "false",
            "move clients off this node while it holds more than its share (close 4002 with a move event)");
    public static final Setting REBALANCE_TOLERANCE_PCT = new Setting("rebalance.tolerance.pct", "10",
            "how far from the mean (%) every node must be before the rebalancer rests");
    public static final Setting REBALANCE_RATE = new Setting("rebalance.rate", "50",
            "most clients one node asks to move per second");
    public static final Setting REBALANCE_RETRY_MS = new Setting("rebalance.retry.ms", "2000",
            "a moved client is told to reconnect after a random delay up to this");
    public static final Setting SESSIONS = new Setting("sessions", "local",
            "HTTP-transport sessions (SSE, long-polling): local = only the node that made one serves it (needs a sticky LB); shared = other nodes forward to it");
    public static final Setting POLL_TIMEOUT_MS = new Setting("poll.timeout.ms", "20000",
            "how long a long poll waits for an event before it is answered with []");
    public static final Setting ADVERTISE_ADDR = new Setting("advertise.addr", "",
            "host:port other nodes reach this node's HTTP listener at (shared sessions are forwarded there); empty = the bound host:port");
    public static final Setting ALLOWED_ORIGINS = new Setting("allowed.origins", "",
            "comma-separated Origin values a browser may connect from; empty = any (requests without Origin are not browsers and pass)");

    public static final Setting ANONYMOUS = new Setting("anonymous", "true",
            "let clients connect without a token and backends publish without an API key (the demo); set false in production");
    public static final Setting AUTH_SECRET = new Setting("auth.secret", "",
            "HMAC-SHA256 secret (32+ bytes) that client tokens are signed with; required when anonymous is false");
    public static final Setting API_KEY = new Setting("api.key", "",
            "key the HTTP publish API requires (Authorization: Bearer <key>); when empty, only anonymous mode may publish over HTTP");

    public static final Setting REQUEST_TIMEOUT_MS = new Setting("request.timeout.ms", "10000",
            "a request's head (request line and headers) not complete this long after its first byte: 408 and closed (a slowloris)");
    public static final Setting IDLE_TIMEOUT_MS = new Setting("idle.timeout.ms", "60000",
            "a socket that sends no request this long (before its first, or between kept-alive ones) is closed");
    public static final Setting MAX_HEADER_BYTES = new Setting("max.header.bytes", "32768",
            "largest request head, request line and headers together; beyond: 431");
    public static final Setting MAX_HEADERS = new Setting("max.headers", "100", "most header fields in one request; beyond: 431");
    public static final Setting MAX_CONNECTIONS = new Setting("max.connections", "0",
            "WebSockets and HTTP sessions one node holds; beyond: 503 with Retry-After, and the agent's weight falls from 80 % of it to 0 % at 95 %. 0 = 90 % of the open-file limit");

    public static final List<Setting> ALL = List.of(
        NODE_ID, HOST, PORT, ADMIN_HOST, ADMIN_PORT, REDIS_URI, REDIS_CLUSTER, BROKER, KEY_PREFIX, LB_HEADER, MAX_FRAME_BYTES,
        MAX_HTTP_BODY_BYTES, OUTBOUND_QUEUE, MAX_ROOMS, HEARTBEAT_MS, REDIS_TIMEOUT_MS, DRAIN_GRACE_MS,
        HISTORY_LENGTH, HISTORY_TTL_MS, PUBLISH_RATE, PING_INTERVAL_MS, PING_TIMEOUT_MS, PRESENCE_MS, IO_THREADS,
        AGENT_PORT, BALANCE_INTERVAL_MS, REBALANCE, REBALANCE_TOLERANCE_PCT, REBALANCE_RATE, REBALANCE_RETRY_MS, SESSIONS, POLL_TIMEOUT_MS,
        ADVERTISE_ADDR, ALLOWED_ORIGINS,
        ANONYMOUS, AUTH_SECRET, API_KEY, REQUEST_TIMEOUT_MS, IDLE_TIMEOUT_MS, MAX_HEADER_BYTES, MAX_HEADERS, MAX_CONNECTIONS);
}
