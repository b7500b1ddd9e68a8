package dev.wslab.loadtest.compare;

import dev.wslab.launcher.cli.Subcommand;
import dev.wslab.launcher.Cluster;
import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.docker.ComposeLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code ./lab compare}: exit 0 when every run succeeded, 1 when some failed, 2 on bad usage. */
public final class CompareMain {
    /** Long enough that a fault a third in, and its healing (a rolling restart takes ~20 s), end under load. */
    static final Duration CHAOS_MIN_DURATION = Duration.ofSeconds(30);
    /** The usage of ./lab's registry, where every subcommand is declared. */
    private static final String USAGE = Subcommand.usage(Subcommand.CHAOS, Subcommand.COMPARE);

    private CompareMain() {}

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        System.exit(run(args));
    }

    static int run(String[] args) {
        Plan plan;
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        Path results = null;
        try {
            Plan base = List.of(args).contains("--quick") ? Plan.quick() : Plan.standard();
            List<String> experiments = base.experiments();
            int repeats = base.repeats();
            Duration duration = base.duration();
            int users = base.users();
            long seed = base.seed();
            boolean durationGiven = false;
            boolean chaos = false;
            List<String> only = List.of();
            Duration ramp = base.ramp();
            java.util.Map<String, String> load = new java.util.LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> { }
                    case "--chaos" -> {
                        String kind = args[++i];
                        chaos = true;
                        experiments = kind.equals("all") ? Plan.CHAOS : List.of(kind);
                    }
                    case "--experiments" -> {
                        List<String> named = new ArrayList<>();
                        for (String e : args[++i].split(",")) {
                            named.addAll(e.equals("drains") ? Plan.DRAINS : e.equals("policies") ? Plan.POLICIES : List.of(e));
                        }
                        experiments = named;
                    }
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    case "--configurations" -> only = List.of(args[++i].split(","));
                    case "--duration" -> {
                        duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                        durationGiven = true;
                    }
                    case "--users" -> users = Integer.parseInt(args[++i]);
                    case "--ramp" -> ramp = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--rate" -> load.put("wslab.rate", Double.toString(Double.parseDouble(args[++i])));
                    case "--rooms" -> load.put("wslab.rooms", Integer.toString(Integer.parseInt(args[++i])));
                    case "--settle" -> load.put("wslab.settleMs", Long.toString(Math.round(Double.parseDouble(args[++i]) * 1000)));
                    case "--heartbeat" -> load.put("wslab.heartbeatMs", Long.toString(Math.round(Double.parseDouble(args[++i]) * 1000)));
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (chaos && !durationGiven && duration.compareTo(CHAOS_MIN_DURATION) < 0) {
                duration = CHAOS_MIN_DURATION;
            }
            plan = new Plan(experiments, repeats, ramp, duration, users, seed, only, load);
            plan.selected(); // an unknown experiment is a usage error, before anything starts
        } catch (RuntimeException e) {
            System.err.println("compare: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (results == null) {
            results = home.resolve("results").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        boolean compose = "compose".equals(System.getProperty("wslab.cluster"));
        Cluster cluster = compose ? ComposeLab.fromInside(home, System.out)
                : new Lab(LabTopology.defaults(home, LabTopology.DEFAULT_NODES), System.out);
        if (plan.experiments().equals(Plan.CHAOS)) {
            // "chaos all": every fault this lab can inject; the others are named with the reason.
            List<String> runnable = new ArrayList<>();
            for (Experiment e : plan.selected()) {
                Optional<String> why = e.fault().unsupportedBy().apply(cluster);
                why.ifPresent(reason -> System.out.println("chaos: " + e.name() + " left out (" + reason + ")"));
                if (why.isEmpty()) {
                    runnable.add(e.name());
                }
            }
            plan = plan.withExperiments(runnable);
        }
        List<RunRecord> records;
        try {
            records = new Comparison(cluster, plan, results, System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("compare: " + e.getMessage());
            return 2;
        }
        String command = compose ? "docker compose run --rm loadtest compare " : "./lab compare ";
        new Results(plan, records, machine(compose)).write(results, command + String.join(" ", args));
        System.out.println("compare: summary " + results.resolve("summary.md"));
        System.out.println("compare: report  " + results.resolve("report.html"));
        List<String> broken = invariantsBroken(records);
        broken.forEach(line -> System.out.println("compare: INVARIANT BROKEN " + line));
        return records.stream().allMatch(r -> r.gatling().succeeded()) && broken.isEmpty() ? 0 : 1;
    }

    /**
     * The invariant checker: with the Redis bus every member gets every message published in its room
     * after it joined, once, in seq order — across reconnects, drains, crashes and Redis restarts.
     * A run that did not record a measure breaks it too: a missing count cannot show that nothing
     * was lost.
     */
    static List<String> invariantsBroken(List<RunRecord> records) {
        List<String> broken = new ArrayList<>();
        for (RunRecord r : records) {
            if (!Configuration.promisesNoLoss(r.configuration())) {
                continue;
            }
            for (String key : List.of("messagesLost", "duplicates", "seqGaps", "seqRepeats")) {
                Double v = r.scenario(key);
                if (v == null) {
                    broken.add(r.experiment() + "/" + r.configuration() + " r" + r.repeat() + ": " + key
                            + " not recorded (the run's scenario wrote no such count)");
                } else if (v > 0) {
                    broken.add(r.experiment() + "/" + r.configuration() + " r" + r.repeat() + ": " + key + "=" + Measure.format(v)
                            + " " + r.gatling().wslab().path("anomalies"));
                }
            }
        }
        return broken;
    }

    /** The machine the figures come from: they mean little without it. */
    public static Map<String, String> machine(boolean compose) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16));
        m.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        m.put("memory", memory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("cluster", compose ? "docker compose (the loadtest container drives the compose services)" : "native (./lab up)");
        m.put("note", "load generator, 3 nodes, Redis, HAProxy and Prometheus share these cores");
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/meminfo")));
            return lines.get(0).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
