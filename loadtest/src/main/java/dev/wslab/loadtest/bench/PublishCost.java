package dev.wslab.loadtest.bench;

import dev.wslab.launcher.RedisCluster;
import dev.wslab.launcher.RedisServer;
import dev.wslab.launcher.Resp;
import dev.wslab.loadtest.stats.ProcessCpu;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import dev.wslab.loadtest.compare.CompareMain;

/**
 * {@code ./lab bench durability}: what the choices of issue 16 cost one publish on a Redis Cluster
 * shard — the node's own publish script as it runs on a cluster (SPUBLISH, history), without the
 * failover fence, with it (the script asks Redis which process it is), and with the fence and a
 * {@code WAIT 1} after every publish (the ack waits until the shard's replica has it). One
 * connection, one publish at a time, so the latency is the round trip a publisher waits for; CPU
 * from /proc of the shard's master and replica. The variants alternate within every repeat.
 */
public final class PublishCost {
    enum Variant {
        PLAIN("0", false), FENCE("10000000", false), FENCE_AND_WAIT("10000000", true);

        final String fence;
        final boolean await;

        Variant(String fence, boolean await) {
            this.fence = fence;
            this.await = await;
        }
    }

    record Sample(Variant variant, int repeat, double masterMicros, double replicaMicros, double p50Micros, double p99Micros) {}

    private final Path home;
    private final PrintStream out;

    PublishCost(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    /** {@code ./lab bench durability [--repeats N] [--publishes N] [--results DIR]}: exit 0, or 1 when it failed. */
    static int main(Path home, String[] args, PrintStream out) {
        int repeats = 3;
        int publishes = 20_000;
        Path results = home.resolve("results").resolve("durability-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--publishes" -> publishes = Integer.parseInt(args[++i]);
                case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    out.println("bench durability: unknown option " + args[i] + " (--repeats N, --publishes N, --results DIR)");
                    return 2;
                }
            }
        }
        try {
            Files.createDirectories(results);
            List<Sample> samples = new PublishCost(home, out).run(results.resolve("redis"), repeats, publishes / 10, publishes);
            String summary = "# What a publish costs a Redis Cluster shard: fence and WAIT\n\n`./lab bench durability "
                    + String.join(" ", args) + "` (" + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "), "
                    + publishes + " publishes per variant and repeat, one at a time on one connection, " + repeats
                    + " repeats, variants alternating; 6 redis-server processes (3 masters, 3 replicas) and this JVM share the machine: "
                    + machine() + ".\n\n" + table(samples);
            Files.writeString(results.resolve("summary.md"), summary);
            out.print(summary);
            out.println("bench: summary " + results.resolve("summary.md"));
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("bench durability: FAILED " + e);
            return 1;
        }
    }

    private static String machine() {
        Map<String, String> m = CompareMain.machine(false);
        return m.get("cpu") + ", " + m.get("os") + ", " + m.get("java");
    }

    /** Every sample, repeats × variants, each of {@code publishes} after {@code warmup} unmeasured ones. */
    List<Sample> run(Path dir, int repeats, int warmup, int publishes) throws IOException {
        String script = Files.readString(home.resolve("server/src/main/resources/lua/publish_numbered.lua"));
        List<Sample> samples = new ArrayList<>();
        try (RedisCluster cluster = RedisCluster.start(dir, 3, 1)) {
            String room = "bench";
            RedisServer master = cluster.masterOf("{" + room + "}");
            RedisServer replica = cluster.replicaOf(master);
            try (Connection redis = new Connection(master)) {
                String sha = (String) redis.call("SCRIPT", "LOAD", script);
                for (int repeat = 1; repeat <= repeats; repeat++) {
                    Variant[] order = Variant.values();
                    for (int k = 0; k < order.length; k++) {
                        Variant variant = order[(k + repeat - 1) % order.length];
                        publish(redis, sha, room, variant, warmup, null);
                        long[] latencies = new long[publishes];
                        long masterBefore = ProcessCpu.nanos(master.pid());
                        long replicaBefore = ProcessCpu.nanos(replica.pid());
                        publish(redis, sha, room, variant, publishes, latencies);
                        double masterMicros = (ProcessCpu.nanos(master.pid()) - masterBefore) / 1000.0 / publishes;
                        double replicaMicros = (ProcessCpu.nanos(replica.pid()) - replicaBefore) / 1000.0 / publishes;
                        Arrays.sort(latencies);
                        Sample sample = new Sample(variant, repeat, masterMicros, replicaMicros,
                                latencies[publishes / 2] / 1000.0, latencies[(int) (publishes * 0.99)] / 1000.0);
                        samples.add(sample);
                        out.printf("durability: repeat %d %-15s master %.2f µs/publish, replica %.2f, round trip p50 %.0f µs p99 %.0f µs%n",
                                repeat, variant, masterMicros, replicaMicros, sample.p50Micros(), sample.p99Micros());
                    }
                }
            }
        }
        return samples;
    }

    private static void publish(Connection redis, String sha, String room, Variant variant, int count, long[] latencies)
            throws IOException {
        String prefix = "bench:room:{" + room + "}";
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            redis.call("EVALSHA", sha, "4", prefix + ":seq", prefix, prefix + ":history", prefix + ":numberedby",
                    "wslab1 node-1 0 ", "{\"type\":\"message\",\"room\":\"bench\",\"seq\":", ",\"body\":{\"text\":\"a message of about the demo's size\"}}",
                    "1", "1000", "86400000", Long.toString(System.currentTimeMillis()), "\n", "SPUBLISH", variant.fence);
            if (variant.await) {
                Object replicas = redis.call("WAIT", "1", "1000");
                if (!Long.valueOf(1).equals(replicas)) {
                    throw new IllegalStateException("WAIT answered " + replicas + ": the replica did not confirm within 1 s");
                }
            }
            if (latencies != null) {
                latencies[i] = System.nanoTime() - start;
            }
        }
    }

    /** The summary's table: median (min–max) over the repeats of each variant. */
    static String table(List<Sample> samples) {
        Map<Variant, List<Sample>> by = new TreeMap<>();
        samples.forEach(s -> by.computeIfAbsent(s.variant(), v -> new ArrayList<>()).add(s));
        StringBuilder md = new StringBuilder("| publish | master CPU µs/publish | replica CPU µs/publish | round trip p50 µs | p99 µs |\n|---|---|---|---|---|\n");
        by.forEach((variant, list) -> md.append("| ").append(variant.name().toLowerCase().replace('_', ' ')).append(" | ")
                .append(spread(list.stream().mapToDouble(Sample::masterMicros).toArray(), "%.2f")).append(" | ")
                .append(spread(list.stream().mapToDouble(Sample::replicaMicros).toArray(), "%.2f")).append(" | ")
                .append(spread(list.stream().mapToDouble(Sample::p50Micros).toArray(), "%.0f")).append(" | ")
                .append(spread(list.stream().mapToDouble(Sample::p99Micros).toArray(), "%.0f")).append(" |\n"));
        return md.toString();
    }

    static String spread(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        String median = String.format(format, sorted[(sorted.length - 1) / 2]);
        return sorted.length == 1 ? median
                : median + " (" + String.format(format, sorted[0]) + "–" + String.format(format, sorted[sorted.length - 1]) + ")";
    }

    /** One RESP connection kept open: a publish's round trip, not a connect per command. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(RedisServer server) throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Object call(String... args) throws IOException {
            out.write(Resp.encode(args));
            out.flush();
            return Resp.read(in);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
