package dev.wslab.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every metric the node exports, named here and nowhere else. Tags stay low-cardinality: node (a
 * common tag set on the registry), lb, close code, command type, error code — never room or user.
 *
 * <p>Meters are looked up once per tag value and cached, so recording on the hot path is a map read
 * and an atomic add. Thread-safe.
 */
public final class Metrics {
    public static final String CONNECTIONS_ACTIVE = "wslab.connections.active";
    public static final String CONNECTIONS_OPENED = "wslab.connections.opened";
    public static final String CONNECTIONS_CLOSED = "wslab.connections.closed";
    public static final String MESSAGES_RECEIVED = "wslab.messages.received";
    public static final String MESSAGES_DELIVERED = "wslab.messages.delivered";
    public static final String BROADCAST_LATENCY = "wslab.broadcast.latency";
    public static final String DELIVERY_LATENCY = "wslab.delivery.latency";
    public static final String BUS_PUBLISH = "wslab.bus.publish";
    public static final String ERRORS = "wslab.errors";
    public static final String SLOW_CONSUMERS = "wslab.slow.consumers";
    public static final String SEND_FAILURES = "wslab.send.failures";
    public static final String ROOMS_LOCAL = "wslab.rooms.local";
    public static final String BUS_UP = "wslab.bus.up";
    public static final String HTTP_PUBLISHED = "wslab.http.published";
    public static final String FANOUT_RECIPIENTS = "wslab.fanout.recipients";
    public static final String RESUMES = "wslab.resumes";
    public static final String RECONNECT_LANDINGS = "wslab.reconnect.landings";
    public static final String BUS_GAPS = "wslab.bus.gaps";
    public static final String MIGRATIONS = "wslab.migrations";
    public static final String REBALANCE_DURATION = "wslab.rebalance.duration";
    public static final String CLUSTER_SKEW = "wslab.cluster.skew";
    public static final String CLUSTER_SHARE = "wslab.cluster.share";
    public static final String BALANCE_WEIGHT = "wslab.balance.weight";
    public static final String HTTP_SESSIONS = "wslab.http.sessions";
    public static final String SESSIONS_UNKNOWN = "wslab.sessions.unknown";
    public static final String SESSIONS_FORWARDED = "wslab.sessions.forwarded";
    public static final String SESSION_FORWARD = "wslab.session.forward";

    /** Publish-to-delivery spans sub-millisecond (same node, idle) to seconds (saturated or Redis trouble). */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, Counter> opened = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter slowConsumers;
    private final Counter sendFailures;
    private final Counter httpPublished;
    private final Timer busPublish;
    private final DistributionSummary fanoutRecipients;
    private final Counter migrations;
    private final Timer rebalanceDuration;

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder(MESSAGES_DELIVERED)
                .description("Frames handed to local sockets (one per recipient)").register(registry);
        this.slowConsumers = Counter.builder(SLOW_CONSUMERS)
                .description("Sockets closed with 1008 because their outbound queue was full").register(registry);
        this.sendFailures = Counter.builder(SEND_FAILURES)
                .description("Frames whose send failed (peer gone mid-write)").register(registry);
        this.httpPublished = Counter.builder(HTTP_PUBLISHED)
                .description("Messages published through the HTTP API").register(registry);
        this.busPublish = Timer.builder(BUS_PUBLISH)
                .description("Time for the bus to number and publish one event (Redis round trip)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        // Registered up front so that dashboards read 0, not absent, on a cluster that never rebalanced.
        this.migrations = Counter.builder(MIGRATIONS).description("Clients asked to move to another node (close 4002)")
                .register(registry);
        this.rebalanceDuration = Timer.builder(REBALANCE_DURATION).description("Time from skew detected to spread within tolerance")
                .register(registry);
        this.fanoutRecipients = DistributionSummary.builder(FANOUT_RECIPIENTS)
                .description("Local members one room event was handed to").register(registry);
        // Up front too: a run with no unknown or forwarded session reads 0, and a missing series means
        // the node did not export it, which a comparison must not take for "none".
        List.of("local", "ended", "owner_gone").forEach(this::unknownSessions);
        List.of("command", "poll", "stream").forEach(this::forwardedSessions);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Registers the gauges whose values the node computes on scrape. */
    public void bindGauges(Supplier<Number> localRooms, Supplier<Boolean> busUp) {
        Gauge.builder(ROOMS_LOCAL, () -> localRooms.get().doubleValue())
                .description("Rooms with at least one member on this node").register(registry);
        Gauge.builder(BUS_UP, () -> busUp.get() ? 1 : 0)
                .description("1 while the cross-node bus accepts publishes").register(registry);
    }

    /** Exports the connection gauge for a policy before its first connection, so it reads 0, not absent. */
    public void trackLb(String lb) {
        active(lb);
    }

    public void connectionOpened(String lb) {
        active(lb).incrementAndGet();
        opened.computeIfAbsent(lb, l -> Counter.builder(CONNECTIONS_OPENED).tag("lb", l)
                .description("WebSocket connections accepted").register(registry)).increment();
    }

    /**
     * A client that says which node it was on before ({@code /ws?previous=node-2}) landed here: on
     * the same node again ("same") or another ("other"), by the policy it came through.
     */
    public void reconnectLanding(String lb, boolean sameNode) {
        Counter.builder(RECONNECT_LANDINGS).tag("lb", lb).tag("landing", sameNode ? "same" : "other")
                .description("Reconnecting clients (previous= on the handshake) by where they landed").register(registry).increment();
    }

    public void connectionClosed(String lb, int code) {
        active(lb).decrementAndGet();
        closed.computeIfAbsent(lb + "|" + code, k -> Counter.builder(CONNECTIONS_CLOSED).tag("lb", lb)
                .tag("code", Integer.toString(code))
                .description("WebSocket connections closed, by close code").register(registry)).increment();
    }

    public void received(String type) {
        received.computeIfAbsent(type, t -> Counter.builder(MESSAGES_RECEIVED).tag("type", t)
                .description("Client commands received, by type").register(registry)).increment();
    }

    /** Frames one I/O thread wrote of one room event. */
    public void delivered(int recipients) {
        delivered.increment(recipients);
    }

    /** One room event handed to the room's local members (those still joining included). */
    public void fannedOut(int members) {
        fanoutRecipients.record(members);
    }

    /**
     * The timer of one recipient's delivery (publish on any node → the frame written to that socket),
     * by the policy the recipient came through. Unlike {@link #broadcastLatency}, recorded once per
     * recipient: a policy that crowds a node makes its own clients wait, and only this shows it.
     */
    public Timer deliveryLatency(String lb) {
        return Timer.builder(DELIVERY_LATENCY).tag("lb", lb)
                .description("From publish on any node to the frame written to each recipient's socket, per recipient")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    public void broadcastLatency(String lb, long nanos) {
        latency.computeIfAbsent(lb, l -> Timer.builder(BROADCAST_LATENCY).tag("lb", l)
                .description("From publish on any node to hand-off to local sockets")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void busPublished(long nanos) {
        busPublish.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void error(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder(ERRORS).tag("code", c)
                .description("Error events and refusals, by code").register(registry)).increment();
    }

    /** How many errors of this code were counted since start. */
    public double errorCount(String code) {
        Counter counter = errors.get(code);
        return counter == null ? 0 : counter.count();
    }

    /** An HTTP session was made, by the transport its client asked for (sse, poll). */
    public void httpSession(String transport) {
        Counter.builder(HTTP_SESSIONS).tag("transport", transport)
                .description("HTTP-transport sessions made, by transport").register(registry).increment();
    }

    /**
     * A request named a session this node could not serve: {@code local} (node-local sessions, the load
     * balancer sent it to the wrong node), {@code ended}, or {@code owner_gone} (its node is unreachable).
     */
    public void sessionUnknown(String reason) {
        unknownSessions(reason).increment();
    }

    private Counter unknownSessions(String reason) {
        return Counter.builder(SESSIONS_UNKNOWN).tag("reason", reason)
                .description("Requests for a session this node could not serve, by reason").register(registry);
    }

    private Counter forwardedSessions(String kind) {
        return Counter.builder(SESSIONS_FORWARDED).tag("kind", kind)
                .description("Requests forwarded to the node that owns their session, by kind").register(registry);
    }

    /** A request for another node's session, passed on to it (shared sessions), and how long the hop took. */
    public void sessionForwarded(String kind, long nanos) {
        forwardedSessions(kind).increment();
        if (!kind.equals("stream") && !kind.equals("poll")) {
            Timer.builder(SESSION_FORWARD).description("Round trip of a forwarded session request (polls and streams excluded: they wait)")
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** A join with since: complete when every missed message was replayed, gap when the history fell short. */
    public void resumed(boolean complete) {
        Counter.builder(RESUMES).tag("outcome", complete ? "complete" : "gap")
                .description("Joins that resumed from a seq, by outcome").register(registry).increment();
    }

    /** A seq gap in a room's live stream: filled from the history, or left (history unreadable or short). */
    public void busGap(boolean filled) {
        Counter.builder(BUS_GAPS).tag("outcome", filled ? "filled" : "unfilled")
                .description("Seq gaps in the bus's live stream, by whether the history filled them").register(registry).increment();
    }

    /**
     * The spread as this node sees it (every node computes the same from the heartbeats), its share
     * and the weight its load agent serves HAProxy.
     */
    public void bindBalanceGauges(java.util.function.DoubleSupplier maxOverMin, java.util.function.DoubleSupplier cv,
            java.util.function.DoubleSupplier share, java.util.function.DoubleSupplier weightPercent) {
        Gauge.builder(CLUSTER_SKEW, maxOverMin::getAsDouble).tag("stat", "maxmin")
                .description("Connections on the busiest node over the emptiest (an empty node counts as 1)").register(registry);
        Gauge.builder(CLUSTER_SKEW, cv::getAsDouble).tag("stat", "cv")
                .description("Coefficient of variation of connections per node").register(registry);
        Gauge.builder(CLUSTER_SHARE, share::getAsDouble)
                .description("This node's share of the cluster's connections, 0-1").register(registry);
        Gauge.builder(BALANCE_WEIGHT, weightPercent::getAsDouble)
                .description("Weight (% of configured) this node's load agent serves HAProxy").register(registry);
    }

    /** Clients this node asked to move elsewhere (the active rebalancer). */
    public void migrated(int clients) {
        migrations.increment(clients);
    }

    /** From the first round that found the cluster out of balance to the first that found it within. */
    public void rebalanced(long millis) {
        rebalanceDuration.record(millis, TimeUnit.MILLISECONDS);
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void sendFailed() {
        sendFailures.increment();
    }

    public void httpPublished() {
        httpPublished.increment();
    }

    private AtomicInteger active(String lb) {
        return active.computeIfAbsent(lb, l -> registry.gauge(CONNECTIONS_ACTIVE,
                io.micrometer.core.instrument.Tags.of("lb", l), new AtomicInteger()));
    }
}
