package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.stats.MachineCpu;
import dev.wslab.loadtest.stats.ProcessCpu;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bus bench's load on one {@link BusTarget}: {@code rooms} rooms, each with one publisher socket
 * on node {@code r % N} and one subscriber on the next node, so that every message crosses the bus.
 * The publishers send {@code publish} commands carrying the moment of the write as id and as body
 * field {@code t}: the ack gives the publish latency (through the node, Redis's numbering script and
 * back), the delivery the end-to-end latency across the bus. Messages go round robin over the rooms.
 */
final class BusLoad implements AutoCloseable {
    /** Counts a publisher group's sends and acks; the counts are the selector thread's, read after a step. */
    static final class Publishes implements LeanClients.TextHandler {
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        long sent;
        long acked;
        volatile long errors;
        LatencyHistogram latency = new LatencyHistogram();

        /** The publish frame for {@code room}, stamped now; counted when now falls in the window. */
        String frame(String room) {
            long now = System.nanoTime();
            if (now >= windowStart && now < windowEnd) {
                sent++;
            }
            return "{\"type\":\"publish\",\"room\":\"" + room + "\",\"id\":\"" + now + "\",\"body\":{\"t\":" + now + "}}";
        }

        @Override
        public void onText(ByteBuffer b, int from, int to) {
            if (startsWith(b, from, to, "{\"type\":\"error\"")) {
                errors++;
                return;
            }
            long id = ackId(b, from, to);
            if (id >= windowStart && id < windowEnd) {
                acked++;
                latency.record(System.nanoTime() - id);
            }
        }

        void reset(long start, long end) {
            sent = 0;
            acked = 0;
            latency = new LatencyHistogram();
            windowStart = start;
            windowEnd = end;
        }
    }

    private final BusTarget target;
    private final int rooms;
    private final int repeat;
    private final Duration stepLength;
    private final List<LeanClients> publishers = new ArrayList<>();
    private final List<Publishes> publishes = new ArrayList<>();
    private final List<LeanClients> subscribers = new ArrayList<>();
    private final List<Fanout.Counter> deliveries = new ArrayList<>();
    private static final Duration PROBE_ROUND = Duration.ofSeconds(5);
    private Double firstP99;
    /** Messages handed to the publishers so far, warm-ups and probes included. */
    private long sent;

    BusLoad(BusTarget target, int rooms, int repeat, Duration stepLength) {
        this.target = target;
        this.rooms = rooms;
        this.repeat = repeat;
        this.stepLength = stepLength;
    }

    /** Room {@code i} of those whose number is {@code residue} modulo the node count. */
    static String room(int residue, int nodes, int i) {
        return "bus-" + (residue + i * nodes);
    }

    /** How many of {@code rooms} rooms have {@code residue} modulo the node count. */
    static int roomsOf(int residue, int nodes, int rooms) {
        return residue >= rooms ? 0 : (rooms - residue + nodes - 1) / nodes;
    }

    /** Opens a publisher and a subscriber socket per room, joins the subscribers and waits until every room delivers. */
    void connect() throws IOException {
        List<Integer> ports = target.nodePorts();
        int n = ports.size();
        for (int node = 0; node < n; node++) {
            int published = node;
            int subscribed = (node + n - 1) % n;
            Publishes counts = new Publishes();
            publishes.add(counts);
            publishers.add(open(ports.get(node), roomsOf(published, n, rooms), counts));
            Fanout.Counter counter = new Fanout.Counter();
            deliveries.add(counter);
            LeanClients group = open(ports.get(node), roomsOf(subscribed, n, rooms), counter);
            subscribers.add(group);
            group.sendRoundRobin(roomsOf(subscribed, n, rooms), i -> "{\"type\":\"join\",\"room\":\"" + room(subscribed, n, i) + "\"}");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            // One message per room: when as many arrive, every subscriber's join has landed. A round
            // waits seconds, not a fixed beat: fresh JVMs on busy shared cores take that long.
            long start = System.nanoTime();
            deliveries.forEach(c -> c.reset(start, Long.MAX_VALUE));
            send(rooms);
            long round = Math.min(deadline, start + PROBE_ROUND.toNanos());
            while (System.nanoTime() < round) {
                Fanout.sleep(Duration.ofMillis(50));
                if (deliveries.stream().mapToLong(c -> c.delivered).sum() >= rooms) {
                    return;
                }
            }
        }
        throw new IOException(target.name() + ": one message per room never reached all " + rooms + " subscribers");
    }

    private LeanClients open(int port, int count, LeanClients.TextHandler handler) throws IOException {
        LeanClients group = new LeanClients(target.host(), port, "/ws", handler);
        group.open(count, Duration.ofSeconds(60));
        if (group.upgraded() < count) {
            group.close();
            throw new IOException(target.name() + ": only " + group.upgraded() + " of " + count + " sockets on port " + port
                    + " " + group.failures());
        }
        return group;
    }

    /** {@code count} messages, message m through node m % N, round robin over that node's rooms. */
    private void send(long count) {
        int n = publishers.size();
        long[] perNode = new long[n];
        for (long m = sent; m < sent + count; m++) {
            perNode[(int) (m % n)]++;
        }
        sent += count;
        for (int node = 0; node < n; node++) {
            int residue = node;
            Publishes counts = publishes.get(node);
            if (perNode[node] > 0) {
                publishers.get(node).sendRoundRobin((int) perNode[node], i -> counts.frame(room(residue, n, i)));
            }
        }
    }

    /** Load at {@code rate}, unmeasured. */
    void warmUp(int rate, Duration length) {
        pace(rate, length);
    }

    /** A second of warm-up at the rate, then the measured step, then the drain. */
    BusStep step(int rate) {
        pace(rate, Fanout.WARMUP);
        List<Long> redis = target.redisPids();
        List<Long> masters = target.masterPids();
        List<Long> nodes = target.nodePids();
        Cpu before = Cpu.read(redis, nodes);
        long start = before.at();
        long end = start + stepLength.toNanos();
        publishes.forEach(p -> p.reset(start, end));
        deliveries.forEach(c -> c.reset(start, end));
        pace(rate, stepLength);
        Cpu windowEnd = Cpu.read(redis, nodes);
        Fanout.sleep(Fanout.DRAIN);
        Cpu after = Cpu.read(redis, nodes);
        double seconds = (end - start) / 1e9;
        long published = publishes.stream().mapToLong(p -> p.sent).sum();
        long acked = publishes.stream().mapToLong(p -> p.acked).sum();
        long errors = publishes.stream().mapToLong(p -> p.errors).sum();
        long delivered = deliveries.stream().mapToLong(c -> c.delivered).sum();
        long closed = subscribers.stream().mapToLong(LeanClients::closedByServer).sum()
                + publishers.stream().mapToLong(LeanClients::closedByServer).sum();
        Map<String, Double> ackMillis = worst(publishes.stream().map(p -> p.latency).toList());
        Map<String, Double> deliveryMillis = worst(deliveries.stream().map(c -> c.latency).toList());
        Double p99 = ackMillis.get("p99");
        String saturatedBy = BusVerdict.saturation(rate, seconds, published, acked, delivered, published, closed, errors, p99, firstP99);
        if (firstP99 == null) {
            firstP99 = p99;
        }
        // Prices: the window's messages, until their stragglers arrived. Shares: the window alone,
        // while the load was on, so that the drain's quiet does not dilute who was busy.
        long redisNanos = 0;
        long masterNanos = 0;
        long windowRedis = 0;
        long hottest = 0;
        for (int i = 0; i < redis.size(); i++) {
            long used = after.redis()[i] - before.redis()[i];
            redisNanos += used;
            masterNanos += masters.contains(redis.get(i)) ? used : 0;
            windowRedis += windowEnd.redis()[i] - before.redis()[i];
            hottest = Math.max(hottest, windowEnd.redis()[i] - before.redis()[i]);
        }
        long nodeNanos = after.nodes() - before.nodes();
        long generatorNanos = after.generator() - before.generator();
        long wall = windowEnd.at() - before.at();
        int cores = Runtime.getRuntime().availableProcessors();
        double redisShare = BusVerdict.share(windowRedis, wall, cores);
        double nodeShare = BusVerdict.share(windowEnd.nodes() - before.nodes(), wall, cores);
        double generatorShare = BusVerdict.share(windowEnd.generator() - before.generator(), wall, cores);
        double machineBusy = MachineCpu.busyShare(before.machine(), windowEnd.machine());
        double hottestCores = (double) hottest / wall;
        String bottleneck = BusVerdict.bottleneck(hottestCores, Map.of("Redis", redisShare, "nodes", nodeShare, "generator", generatorShare),
                machineBusy);
        return new BusStep(target.name(), repeat, rooms, rate, seconds, published, acked, errors, delivered, published, closed,
                acked / seconds, ackMillis, deliveryMillis, BusVerdict.microsPerMessage(redisNanos, acked),
                BusVerdict.microsPerMessage(masterNanos, acked), BusVerdict.microsPerMessage(redisNanos - masterNanos, acked),
                BusVerdict.microsPerMessage(nodeNanos, acked), BusVerdict.microsPerMessage(generatorNanos, acked),
                redisShare, nodeShare, generatorShare, hottestCores, machineBusy, saturatedBy, bottleneck);
    }

    /** The CPU counters of every process taking part, and of the machine, read at one moment. */
    private record Cpu(long at, long[] redis, long nodes, long generator, long[] machine) {
        static Cpu read(List<Long> redis, List<Long> nodes) {
            return new Cpu(System.nanoTime(), redis.stream().mapToLong(ProcessCpu::nanos).toArray(), ProcessCpu.nanos(nodes),
                    ProcessCpu.nanos(ProcessHandle.current().pid()), MachineCpu.nanos());
        }
    }

    /** Sends at a steady rate in 1 ms ticks for {@code length}. */
    private void pace(int rate, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long done = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            long due = (now - start) * rate / 1_000_000_000L + 1;
            send(due - done);
            done = due;
            Fanout.sleep(Duration.ofNanos(Math.min(1_000_000L, end - now)));
        }
    }

    /** The slowest node's figures: each node's publishers see the same bus. */
    private static Map<String, Double> worst(List<LatencyHistogram> histograms) {
        Map<String, Double> worst = new LinkedHashMap<>();
        for (LatencyHistogram h : histograms) {
            h.summary().forEach((k, v) -> {
                if (v != null) {
                    worst.merge(k, v, Math::max);
                }
            });
        }
        return worst;
    }

    /** The id of an ack frame ({@code {"type":"ack","id":"123",…}}), or -1 for any other frame. No allocation. */
    static long ackId(ByteBuffer b, int from, int to) {
        String prefix = "{\"type\":\"ack\",\"id\":\"";
        if (!startsWith(b, from, to, prefix)) {
            return -1;
        }
        long v = 0;
        int j = from + prefix.length();
        for (; j < to && b.get(j) >= '0' && b.get(j) <= '9'; j++) {
            v = v * 10 + (b.get(j) - '0');
        }
        return j < to && b.get(j) == '"' && j > from + prefix.length() ? v : -1;
    }

    static boolean startsWith(ByteBuffer b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b.get(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        publishers.forEach(LeanClients::close);
        subscribers.forEach(LeanClients::close);
    }
}
