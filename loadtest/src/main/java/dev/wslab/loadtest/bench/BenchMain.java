package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import dev.wslab.settings.NodeSettings;
import dev.wslab.launcher.cli.Subcommand;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.PidFiles;
import dev.wslab.loadtest.compare.CompareMain;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lab bench [cost|fanout|capacity|all] …}: what a delivery costs the node in CPU, its
 * broadcast throughput and its capacity, against references measured in the same run: the floor of
 * a bare Undertow broadcaster, and a Node.js server on {@code ws} and {@code ioredis}.
 * {@code ./lab bench bus …} is {@link BusBench}: the bus on one Redis against a Redis Cluster.
 * Exit 0 when every part ran, 1 when one failed, 2 on bad usage.
 */
public final class BenchMain {
    /** The usage of ./lab's registry, where every subcommand is declared. */
    private static final String USAGE = Subcommand.usage(Subcommand.BENCH);
    /**
     * Settings the bench's nodes run with. The per-connection publish limit would cap the publisher;
     * the node's own connection cap (90 % of its open-file limit) would stop the capacity steps before
     * the machine does, which is what they measure.
     */
    static final Map<String, String> NODE_SETTINGS = Map.of(NodeSettings.PUBLISH_RATE.env(), "1000000", NodeSettings.MAX_CONNECTIONS.env(), "10000000");
    /** The nodes' I/O threads as set in this environment (the lab's nodes inherit it); the floors get the same. */
    private static final String IO_THREADS = System.getenv().getOrDefault(NodeSettings.IO_THREADS.env(), "0");

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * The plan: the climb's subscriber counts and offered deliveries per second, capacity steps, step
     * length, the targets ({@link Targets#ALL} keys), the climb's repeats, and the cost run's plan.
     */
    record Plan(List<Integer> subscribers, List<Integer> offeredPerSecond, List<Integer> capacitySteps, Duration step,
                List<String> targets, int repeats, Cost.Plan cost) {
        static Plan full() {
            return new Plan(List.of(100, 1000, 10000), List.of(10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 400_000, 800_000),
                    List.of(10_000, 25_000, 50_000, 100_000, 150_000, 200_000), Duration.ofSeconds(5), Targets.ALL, 1, Cost.Plan.full());
        }

        static Plan quick() {
            return new Plan(List.of(100, 1000), List.of(10_000, 50_000, 100_000, 200_000), List.of(2_000, 5_000),
                    Duration.ofSeconds(2), List.of("floor", "node", "peer"), 1, Cost.Plan.quick());
        }
    }

    static int run(String[] args, PrintStream out) {
        String what = "all";
        Plan plan = Plan.full();
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("durability")) {
            return PublishCost.main(home, java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (java.util.Arrays.asList(args).contains("bus")) {
            // The bus part starts its own Redis and nodes and has its own options: it is a run of its own.
            return BusBench.run(java.util.Arrays.stream(args).filter(a -> !a.equals("bus")).toArray(String[]::new), home, out, USAGE);
        }
        Path results = null;
        List<Integer> subscribers = null;
        Integer repeats = null;
        Integer rate = null;
        Duration warmUp = null;
        boolean profile = false;
        List<String> targets = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "capacity", "fanout", "cost", "all" -> what = args[i];
                    case "--quick" -> plan = Plan.quick();
                    case "--subscribers" -> subscribers = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                    case "--repeats" -> repeats = Integer.valueOf(args[++i]);
                    case "--rate" -> rate = Integer.valueOf(args[++i]);
                    case "--warmup" -> warmUp = Duration.ofSeconds(Integer.parseInt(args[++i]));
                    case "--profile" -> profile = true;
                    case "--targets" -> {
                        targets = List.of(args[++i].split(","));
                        if (!Targets.ALL.containsAll(targets)) {
                            throw new IllegalArgumentException("targets are " + String.join(",", Targets.ALL));
                        }
                    }
                    case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        Cost.Plan cost = plan.cost();
        cost = new Cost.Plan(subscribers != null ? subscribers.get(0) : cost.subscribers(), rate != null ? rate : cost.deliveriesPerSecond(),
                cost.window(), warmUp != null ? warmUp : cost.warmUp(), repeats != null ? repeats : cost.repeats(), profile);
        plan = new Plan(subscribers != null ? subscribers : plan.subscribers(), plan.offeredPerSecond(), plan.capacitySteps(),
                plan.step(), targets != null ? targets : plan.targets(), repeats != null ? repeats : plan.repeats(), cost);
        if (results == null) {
            results = home.resolve("results").resolve("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        LabTopology topology = LabTopology.defaults(home, LabTopology.DEFAULT_NODES);
        try {
            Map<String, Object> data = new Bench(topology, plan, results, out).run(what);
            data.put("command", "./lab bench " + String.join(" ", args));
            BenchReport.write(results, data, BenchReport.markdown(data), BenchReport.html(data), out);
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("bench: FAILED " + e);
            return 1;
        }
    }

    /** One bench run against the lab on its default ports. */
    static final class Bench {
        private final LabTopology topology;
        private final Plan plan;
        private final Path results;
        private final PrintStream out;
        private final List<String> failures = new ArrayList<>();
        private final Lab lab;

        Bench(LabTopology topology, Plan plan, Path results, PrintStream out) {
            this.topology = topology;
            this.plan = plan;
            this.results = results;
            this.out = out;
            this.lab = new Lab(topology.withNodeSettings(NODE_SETTINGS), out);
        }

        Map<String, Object> run(String what) throws IOException {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("machine", CompareMain.machine(false));
            data.put("benchJvm", ManagementFactory.getRuntimeMXBean().getInputArguments());
            data.put("nodeJvm", String.join(" ", topology.nodeJvmFlags()) + " (the launcher's flags, the floors' too)");
            data.put("nodeSettings", NODE_SETTINGS);
            data.put("ioThreads", IO_THREADS.equals("0") ? "0 (one per core, at least 2)" : IO_THREADS);
            lab.up();
            // Restarted so they run with the bench settings and inherit this process's descriptor limit.
            lab.restartNodes();
            try (Targets targets = new Targets(topology, lab, results, IO_THREADS)) {
                Files.createDirectories(results);
                List<Fanout.Target> measured = what.equals("capacity") ? List.of() : targets.of(plan.targets());
                if (what.equals("cost") || what.equals("all")) {
                    Cost cost = new Cost(plan.cost(), out, results);
                    data.put("cost", cost.run(measured, failures));
                    data.put("costPlan", plan.cost().toMap());
                    data.put("profiles", cost.profiles());
                    data.put("threads", cost.threads());
                }
                if (what.equals("fanout") || what.equals("all")) {
                    data.put("fanout", fanout(measured));
                }
                data.put("fanoutFailures", failures);
                if (what.equals("capacity") || what.equals("all")) {
                    long pid = PidFiles.live(topology.pidFile("node-1")).orElseThrow().pid();
                    Files.createDirectories(results);
                    data.put("capacity", new Capacity(topology.host(), topology.nodePort(1), pid)
                            .run(plan.capacitySteps(), out, results.resolve("capacity-heap-histogram.txt")));
                }
            } finally {
                new Lab(topology, out).restartNodes();
            }
            return data;
        }

        private List<Fanout.Step> fanout(List<Fanout.Target> measured) {
            List<Fanout.Step> steps = new ArrayList<>();
            for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
                List<Fanout.Target> targets = new ArrayList<>(measured);
                if (repeat % 2 == 0) {
                    // Alternating the order cancels drift (a warming JIT, a noisy neighbour) over repeats.
                    java.util.Collections.reverse(targets);
                }
                for (Fanout.Target target : targets) {
                    for (int n : plan.subscribers()) {
                        try {
                            // A node saturated by the previous climb may have missed HAProxy's health
                            // checks; the next target starts when HAProxy has every node back.
                            lab.awaitServersUp();
                            steps.addAll(rising(target, repeat, n));
                        } catch (IOException e) {
                            // One target failing to take N subscribers (HAProxy's maxconn, say) is a
                            // finding, not a reason to lose the rest of the run.
                            failures.add(target.name() + " with " + n + " subscribers: " + e.getMessage());
                            out.println("fanout: " + failures.get(failures.size() - 1));
                        }
                    }
                }
            }
            return steps;
        }

        private static String ms(Double v) {
            return Cells.number(v, "%.2f");
        }

        /** Rising rates until a step saturates (that step is kept: it shows where). */
        private List<Fanout.Step> rising(Fanout.Target target, int repeat, int subscribers) throws IOException {
            List<Fanout.Step> steps = new ArrayList<>();
            Fanout fanout = new Fanout(target, repeat, subscribers, plan.step());
            try {
                fanout.connect();
                for (int offered : plan.offeredPerSecond()) {
                    int rate = Math.max(1, offered / subscribers);
                    Fanout.Step step = fanout.step(rate);
                    steps.add(step);
                    out.printf("fanout: %-22s %,6d subs  %,6d msg/s  %,10.0f deliveries/s (%,.0f read/s)  p50 %s p99 %s ms  µs/delivery server %.2f generator %.2f (%.0f %%)%s%n",
                            target.name(), subscribers, rate, step.deliveriesPerSecond(), step.receivedPerSecond(), ms(step.latencyMillis().get("p50")),
                            ms(step.latencyMillis().get("p99")), step.serverMicros(), step.generatorMicros(), 100 * step.generatorCpu(),
                            step.saturated() ? "  SATURATED" : "");
                    if (step.saturated()) {
                        break;
                    }
                }
            } finally {
                fanout.close();
            }
            return steps;
        }
    }
}
