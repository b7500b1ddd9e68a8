package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.stats.GeneratorCpu;
import dev.wslab.loadtest.stats.ProcessCpu;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One room of N subscribers spread over some endpoints, one publisher, rising publish rates: how
 * many deliveries per second the target sustains and at what latency, until it saturates.
 *
 * <p>Each message carries the publisher's {@code System.nanoTime()} in a field {@code "t"}; the
 * subscribers live in the same JVM, so the latency is exact: publish to the subscriber's read.
 * A step counts only messages sent inside its measured window, so a backlog from the previous step
 * shows up as latency, not as extra throughput.
 */
final class Fanout {
    /**
     * Where the subscribers connect, how they join, how a publish is framed, and which processes serve
     * it (asked at each step: a restart changes them), whose CPU a delivery is priced by, and how to
     * start those afresh (for a cold figure).
     */
    record Target(String name, String host, List<Integer> subscriberPorts, int publisherPort, String joinFrame,
                  String publishPrefix, String publishSuffix, Supplier<List<Long>> servers, Runnable restart) {
    }

    /**
     * {@code deliveriesPerSecond} counts the deliveries of messages published in the window;
     * {@code receivedPerSecond} every frame the subscribers read during it, whenever it was published:
     * past saturation that is the most the target delivers, backlog and all. The CPU prices are the
     * microseconds the target's processes ({@code serverMicros}) and the generator (this JVM) spent,
     * from the window's start until its stragglers arrived, per delivery of the window's messages.
     * {@code phase} is "cold" for a step right after the target started, "warm" after a warm-up, or
     * "rising" for a step of a climb.
     */
    record Step(String target, String phase, int repeat, int subscribers, int rate, double seconds, long published, long owed,
                long delivered, double deliveriesPerSecond, double receivedPerSecond, Map<String, Double> latencyMillis,
                double generatorCpu, double serverMicros, double generatorMicros, long closed, boolean saturated) {
    }

    static final Duration WARMUP = Duration.ofSeconds(1);
    static final Duration DRAIN = Duration.ofSeconds(2);
    /** A step is saturated when under 95 % of what was owed arrives, or p99 passes half a second. */
    static final double DELIVERED_FLOOR = 0.95;
    static final double P99_CEILING_MILLIS = 500;

    /** Counts the deliveries of one selector thread; merged after each step. */
    static final class Counter implements LeanClients.TextHandler {
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        long delivered;
        /** Every timestamped frame read, whenever it was sent; written by the selector thread only. */
        volatile long seen;
        LatencyHistogram latency = new LatencyHistogram();

        @Override
        public void onText(ByteBuffer b, int from, int to) {
            long t = timestamp(b, from, to);
            if (t < 0) {
                return;
            }
            seen++;
            if (t >= windowStart && t < windowEnd) {
                delivered++;
                latency.record(System.nanoTime() - t);
            }
        }

        void reset(long start, long end) {
            delivered = 0;
            latency = new LatencyHistogram();
            windowStart = start;
            windowEnd = end;
        }
    }

    private final Target target;
    private final int repeat;
    private final int subscribers;
    private final Duration stepLength;
    private final List<LeanClients> groups = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();
    private LeanClients publisher;

    Fanout(Target target, int repeat, int subscribers, Duration stepLength) {
        this.target = target;
        this.repeat = repeat;
        this.subscribers = subscribers;
        this.stepLength = stepLength;
    }

    /** Opens and joins every subscriber, then checks one message reaches all of them. */
    void connect() throws IOException {
        int ports = target.subscriberPorts().size();
        for (int i = 0; i < ports; i++) {
            Counter counter = new Counter();
            LeanClients group = new LeanClients(target.host(), target.subscriberPorts().get(i), "/ws", counter);
            counters.add(counter);
            groups.add(group);
            int count = subscribers / ports + (i < subscribers % ports ? 1 : 0);
            group.open(count, Duration.ofSeconds(60));
            if (group.upgraded() < count) {
                throw new IOException(target.name() + ": only " + group.upgraded() + " of " + count
                        + " subscribers connected on port " + target.subscriberPorts().get(i) + " " + group.failures());
            }
            if (target.joinFrame() != null) {
                group.sendToAll(target.joinFrame());
            }
        }
        publisher = new LeanClients(target.host(), target.publisherPort(), "/ws", (b, f, t) -> { });
        publisher.open(1, Duration.ofSeconds(10));
        if (publisher.upgraded() != 1) {
            throw new IOException(target.name() + ": the publisher did not connect " + publisher.failures());
        }
        awaitEveryoneReached();
    }

    /** Probe messages until one reaches every subscriber: the joins have all landed. */
    private void awaitEveryoneReached() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            counters.forEach(c -> c.reset(start, Long.MAX_VALUE));
            publisher.sendToAll(target.publishPrefix() + System.nanoTime() + target.publishSuffix());
            sleep(Duration.ofMillis(500));
            long got = counters.stream().mapToLong(c -> c.delivered).sum();
            if (got >= subscribers) {
                return;
            }
        }
        throw new IOException(target.name() + ": a probe message never reached all " + subscribers + " subscribers");
    }

    /** A step of a climb: a second's warm-up at the rate, then the step. */
    Step step(int rate) {
        pace(rate, WARMUP);
        return measure(rate, "rising");
    }

    /** Publishes at {@code rate} per second for {@code length}, unmeasured: the JIT's warm-up. */
    void warmUp(int rate, Duration length) {
        pace(rate, length);
    }

    /** Publishes at {@code rate} per second for the step, then waits for stragglers. */
    Step measure(int rate, String phase) {
        List<Long> servers = target.servers().get();
        long serverBefore = ProcessCpu.nanos(servers);
        GeneratorCpu cpu = new GeneratorCpu();
        cpu.start();
        long start = System.nanoTime();
        long end = start + stepLength.toNanos();
        counters.forEach(c -> c.reset(start, end));
        long seenBefore = seen();
        long published = pace(rate, stepLength);
        double seconds = (System.nanoTime() - start) / 1e9;
        long received = seen() - seenBefore;
        sleep(DRAIN);
        cpu.stop();
        long serverNanos = ProcessCpu.nanos(servers) - serverBefore;
        long delivered = counters.stream().mapToLong(c -> c.delivered).sum();
        // Each endpoint's subscribers get the same messages; the slowest endpoint is what users see.
        Map<String, Double> latency = worst(counters);
        long owed = published * subscribers;
        long closed = groups.stream().mapToLong(LeanClients::closedByServer).sum();
        boolean saturated = delivered < DELIVERED_FLOOR * owed || closed > 0
                || (latency.get("p99") != null && latency.get("p99") > P99_CEILING_MILLIS);
        double perDelivery = delivered == 0 ? Double.NaN : 1e-3 / delivered;
        return new Step(target.name(), phase, repeat, subscribers, rate, seconds, published, owed, delivered, delivered / seconds,
                received / seconds, latency, cpu.machineShare(), serverNanos * perDelivery, cpu.cpuNanos() * perDelivery, closed, saturated);
    }

    private long seen() {
        return counters.stream().mapToLong(c -> c.seen).sum();
    }

    private static Map<String, Double> worst(List<Counter> counters) {
        Map<String, Double> worst = new LinkedHashMap<>();
        for (Counter c : counters) {
            c.latency.summary().forEach((k, v) -> {
                if (v != null) {
                    worst.merge(k, v, Math::max);
                }
            });
        }
        return worst;
    }

    /** Sends at a steady rate, in 1 ms ticks; returns how many went out. */
    private long pace(int rate, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long sent = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return sent;
            }
            long due = (now - start) * rate / 1_000_000_000L + 1;
            for (; sent < due; sent++) {
                publisher.sendToAll(target.publishPrefix() + System.nanoTime() + target.publishSuffix());
            }
            sleep(Duration.ofNanos(Math.min(1_000_000L, end - now)));
        }
    }

    void close() {
        groups.forEach(LeanClients::close);
        if (publisher != null) {
            publisher.close();
        }
    }

    /** The value of the last {@code "t":} field in the frame, or -1. No allocation. */
    static long timestamp(ByteBuffer b, int from, int to) {
        for (int i = to - 4; i >= from; i--) {
            if (b.get(i) == '"' && b.get(i + 1) == 't' && b.get(i + 2) == '"' && b.get(i + 3) == ':') {
                long v = 0;
                int j = i + 4;
                boolean digits = false;
                for (; j < to && b.get(j) >= '0' && b.get(j) <= '9'; j++) {
                    v = v * 10 + (b.get(j) - '0');
                    digits = true;
                }
                return digits ? v : -1;
            }
        }
        return -1;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
