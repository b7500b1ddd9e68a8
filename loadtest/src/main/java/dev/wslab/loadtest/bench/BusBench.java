package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import dev.wslab.launcher.LabTopology;
import dev.wslab.loadtest.compare.CompareMain;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./lab bench bus}: the bus between nodes, on one Redis and on a Redis Cluster of 3 masters
 * (sharded pub/sub), in the same run on the same machine. Many rooms, each with a publisher on one
 * node and a subscriber on another, at offered message rates rising until a step saturates; every
 * step priced in CPU per message of the Redis processes, the nodes and the generator. Each repeat
 * starts both targets afresh, in alternating order, which cancels drift.
 */
final class BusBench {
    /**
     * Rooms, the climb's offered messages per second (all rooms together), the measured length of a
     * step, repeats, nodes per target, which targets ({@link BusTarget#ALL}), and the load at the
     * climb's first rate before it: fresh nodes would otherwise price their JIT into the first steps.
     */
    record Plan(int rooms, List<Integer> rates, Duration step, int repeats, int nodes, List<String> targets, Duration warmUp) {
        static Plan full() {
            return new Plan(1000, List.of(1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 80_000), Duration.ofSeconds(5), 3, 2, BusTarget.ALL,
                    Duration.ofSeconds(20));
        }

        static Plan quick() {
            return new Plan(200, List.of(1_000, 5_000, 20_000), Duration.ofSeconds(2), 1, 2, BusTarget.ALL, Duration.ofSeconds(3));
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rooms", rooms);
            m.put("subscribersPerRoom", 1);
            m.put("rates", rates);
            m.put("stepSeconds", step.toMillis() / 1000.0);
            m.put("climbWarmUpSeconds", warmUp.toMillis() / 1000.0);
            m.put("warmUpSeconds", Fanout.WARMUP.toMillis() / 1000.0);
            m.put("drainSeconds", Fanout.DRAIN.toMillis() / 1000.0);
            m.put("repeats", repeats);
            m.put("nodes", nodes);
            m.put("targets", targets);
            return m;
        }
    }

    private final LabTopology topology;
    private final Plan plan;
    private final Path results;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    BusBench(LabTopology topology, Plan plan, Path results, PrintStream out) {
        this.topology = topology;
        this.plan = plan;
        this.results = results;
        this.out = out;
    }

    /** {@code args} without the word {@code bus}; exit 0 when every climb ran, 1 when one failed, 2 on bad usage. */
    static int run(String[] args, Path home, PrintStream out, String usage) {
        Plan plan;
        Path results = null;
        try {
            Plan base = Arrays.asList(args).contains("--quick") ? Plan.quick() : Plan.full();
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].equals("--quick")) {
                    if (!List.of("--rooms", "--rates", "--step", "--repeats", "--nodes", "--targets", "--warmup", "--results").contains(args[i])
                            || i + 1 == args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                    }
                    options.put(args[i], args[++i]);
                }
            }
            plan = new Plan(Integer.parseInt(options.getOrDefault("--rooms", "" + base.rooms())),
                    options.containsKey("--rates") ? ints(options.get("--rates")) : base.rates(),
                    options.containsKey("--step") ? seconds(options.get("--step")) : base.step(),
                    Integer.parseInt(options.getOrDefault("--repeats", "" + base.repeats())),
                    Integer.parseInt(options.getOrDefault("--nodes", "" + base.nodes())),
                    options.containsKey("--targets") ? targets(options.get("--targets")) : base.targets(),
                    options.containsKey("--warmup") ? seconds(options.get("--warmup")) : base.warmUp());
            results = options.containsKey("--results") ? Path.of(options.get("--results")).toAbsolutePath() : null;
            if (plan.nodes() < 2 || plan.rooms() < plan.nodes() || plan.repeats() < 1 || plan.rates().isEmpty()) {
                throw new IllegalArgumentException("the bus needs --nodes ≥ 2, at least as many rooms, a rate and a repeat");
            }
        } catch (RuntimeException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(usage);
            return 2;
        }
        if (results == null) {
            results = home.resolve("results").resolve("bench-bus-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        BusBench bench = new BusBench(LabTopology.defaults(home, plan.nodes()), plan, results, out);
        try {
            Map<String, Object> data = bench.run();
            data.put("command", "./lab bench bus " + String.join(" ", args));
            BenchReport.write(results, data, BusReport.markdown(data), BusReport.html(data), out);
            return bench.failures.isEmpty() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            out.println("bench: FAILED " + e);
            return 1;
        }
    }

    private static Duration seconds(String s) {
        return Duration.ofSeconds(Integer.parseInt(s));
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }

    private static List<String> targets(String csv) {
        List<String> targets = List.of(csv.split(","));
        if (!BusTarget.ALL.containsAll(targets)) {
            throw new IllegalArgumentException("bus targets are " + String.join(",", BusTarget.ALL));
        }
        return targets;
    }

    /** Every repeat's climb on every target; what data.json holds. */
    Map<String, Object> run() throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, String> machine = new LinkedHashMap<>(CompareMain.machine(false));
        machine.remove("cluster");
        machine.put("note", "the generator, the target's nodes and all its redis-servers share these cores (the lab's own, if up, too)");
        data.put("machine", machine);
        data.put("nodeJvm", String.join(" ", topology.nodeJvmFlags()));
        data.put("nodeSettings", BenchMain.NODE_SETTINGS);
        data.put("plan", plan.toMap());
        List<BusStep> steps = new ArrayList<>();
        Files.createDirectories(results);
        for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
            List<String> order = new ArrayList<>(plan.targets());
            if (repeat % 2 == 0) {
                Collections.reverse(order);
            }
            for (String key : order) {
                try {
                    steps.addAll(climb(key, repeat));
                } catch (IOException | RuntimeException e) {
                    failures.add(key + " (repeat " + repeat + "): " + e.getMessage());
                    out.println("bus: FAILED " + failures.get(failures.size() - 1));
                }
            }
        }
        data.put("steps", steps);
        data.put("failures", failures);
        return data;
    }

    private List<BusStep> climb(String key, int repeat) throws IOException {
        Path dir = results.resolve(key + "-r" + repeat);
        List<BusStep> steps = new ArrayList<>();
        try (BusTarget target = BusTarget.start(key, topology, plan.nodes(), BenchMain.NODE_SETTINGS, dir);
             BusLoad load = new BusLoad(target, plan.rooms(), repeat, plan.step())) {
            load.connect();
            load.warmUp(plan.rates().get(0), plan.warmUp());
            for (int rate : plan.rates()) {
                BusStep step = load.step(rate);
                steps.add(step);
                out.printf("bus: %-18s r%d %,7d msg/s offered %,9.0f acked/s  publish p50 %s p99 %s ms  µs/msg Redis %.1f nodes %.1f"
                                + " generator %.1f  shares Redis %.0f %% nodes %.0f %% generator %.0f %% machine %.0f %%%s%n",
                        step.target(), repeat, rate, step.ackedPerSecond(), ms(step.ackMillis(), "p50"), ms(step.ackMillis(), "p99"),
                        step.redisMicros(), step.nodeMicros(), step.generatorMicros(), 100 * step.redisShare(), 100 * step.nodeShare(),
                        100 * step.generatorShare(), 100 * step.machineBusy(),
                        step.saturated() ? "  SATURATED: " + step.saturatedBy() + "; limit: " + step.bottleneck() : "");
                if (step.saturated()) {
                    break;
                }
            }
        } finally {
            deleteAppendOnlyFiles(dir);
        }
        return steps;
    }

    static String ms(Map<String, Double> latency, String key) {
        return Cells.number(latency.get(key), "%.2f");
    }

    /** A climb writes ~1 GB of append-only files over a full run, and nothing reads them back; the logs stay. */
    private static void deleteAppendOnlyFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (p.toString().contains("appendonly")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
