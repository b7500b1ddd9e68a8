package dev.wslab.loadtest.compare;

import dev.wslab.launcher.Cluster;
import dev.wslab.launcher.LabTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The experiment runner behind {@code ./lab compare}: brings the lab up if it is not, runs every
 * experiment through every configuration with the same seed and load, alternating the order of
 * configurations between repeats, and collects per run what Gatling, the scenario, Prometheus and
 * HAProxy saw. Switching to the no-bus configuration restarts the nodes with the in-memory broker;
 * the lab is left as it was found, with the Redis bus.
 */
public final class Comparison {
    /** Prometheus scrapes every 2 s; waiting two scrapes after a run gets its last samples in. */
    private static final Duration SCRAPE_SLACK = Duration.ofSeconds(4);
    /** Restarting one node for another configuration's settings, until HAProxy sees it UP again (measured: 6–10 s). */
    static final Duration NODE_RESTART = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final LabTopology topology;
    private final Plan plan;
    private final Path resultsDir;
    private final PrintStream out;
    private final GatlingRun gatling;
    private final PrometheusClient prometheus;
    private RunExporter exporter;
    private Map<String, String> nodeSettings = null;
    /** What HAProxy runs with beyond haproxy.cfg's defaults: nothing, as the lab starts it. */
    private Map<String, String> haproxySettings = Map.of();

    public Comparison(Cluster cluster, Plan plan, Path resultsDir, PrintStream out) {
        this.cluster = cluster;
        this.topology = cluster.topology();
        this.plan = plan;
        this.resultsDir = resultsDir;
        this.out = out;
        this.gatling = new GatlingRun(topology.home());
        this.prometheus = new PrometheusClient("http://" + cluster.host("prometheus") + ":" + topology.prometheusPort());
    }

    public List<RunRecord> run() {
        List<Experiment> experiments = Experiment.runnableOn(cluster, plan.selected(), out);
        for (Experiment e : experiments) {
            if (e.fault() != null) {
                e.fault().unsupportedBy().apply(cluster).ifPresent(why -> {
                    throw new IllegalArgumentException("the " + e.name() + " experiment cannot run on this lab: " + why);
                });
            }
        }
        cluster.up();
        int total = experiments.stream().mapToInt(e -> e.configurations().size() * plan.repeats()).sum();
        Duration expected = expectedTime(experiments);
        out.printf("compare: %d runs (%s), about %d min; results in %s%n", total, plan.experiments(),
                Math.max(1, expected.toMinutes()), resultsDir);
        List<RunRecord> records = new ArrayList<>();
        long started = System.currentTimeMillis();
        exporter = new RunExporter(cluster.runnerHost(), cluster.runnerTargets(), java.time.Clock.systemUTC());
        try {
            for (Experiment experiment : experiments) {
                for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
                    List<Configuration> order = order(experiment, repeat);
                    for (int position = 0; position < order.size(); position++) {
                        Configuration configuration = order.get(position);
                        useNodeSettings(configuration.nodeSettings());
                        useHaproxySettings(configuration.haproxySettings());
                        long elapsed = System.currentTimeMillis() - started;
                        long left = records.isEmpty() ? expected.toMillis()
                                : elapsed * (total - records.size()) / records.size();
                        out.printf("[%d/%d] %s × %s, repeat %d/%d (about %s left)%n", records.size() + 1, total,
                                experiment.name(), configuration.name(), repeat, plan.repeats(), minutes(left));
                        RunRecord record = runOnce(experiment, configuration, repeat, position);
                        records.add(record);
                        out.printf("        %s%n", oneLine(record));
                    }
                }
            }
        } finally {
            exporter.close();
            useNodeSettings(Map.of());
            useHaproxySettings(Map.of());
        }
        return records;
    }

    /** The configurations of one repeat: reversed every other repeat, so drift favours none. */
    private static List<Configuration> order(Experiment experiment, int repeat) {
        List<Configuration> order = new ArrayList<>(experiment.configurations());
        if (repeat % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /** The runs, and a restart of every node each time the configurations' node settings change. */
    private Duration expectedTime(List<Experiment> experiments) {
        Duration expected = Duration.ZERO;
        Map<String, String> settings = Map.of();
        for (Experiment e : experiments) {
            for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
                for (Configuration c : order(e, repeat)) {
                    if (!c.nodeSettings().equals(settings)) {
                        expected = expected.plus(NODE_RESTART.multipliedBy(topology.nodes()));
                        settings = c.nodeSettings();
                    }
                    expected = expected.plus(e.expectedRunTime());
                }
            }
        }
        return settings.isEmpty() ? expected : expected.plus(NODE_RESTART.multipliedBy(topology.nodes()));
    }

    private RunRecord runOnce(Experiment experiment, Configuration configuration, int repeat, int position) {
        Path dir = resultsDir.resolve("runs").resolve(experiment.name() + "-" + configuration.name() + "-r" + repeat);
        Map<String, String> props = new LinkedHashMap<>(experiment.load());
        props.putAll(configuration.clientParams());
        props.put("wslab.target", "http://" + cluster.host("haproxy") + ":" + configuration.port(topology));
        Map<String, Long> before = haproxyTotals(configuration);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Cluster lab = cluster.withNodeSettings(configuration.nodeSettings());
        Fault fault = experiment.fault();
        List<Future<?>> injected = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong faultAt = new java.util.concurrent.atomic.AtomicLong();
        LoadSampler sampler = new LoadSampler(lab, topology.nodeIds());
        try {
            if (fault != null) {
                fault.prepare().accept(lab);
            }
            sampler.start();
            exporter.running(experiment.name(), configuration.name(), repeat);
            Duration timeout = experiment.expectedRunTime().multipliedBy(3).plus(Duration.ofMinutes(2));
            GatlingRun.Result result = gatling.run(experiment.simulation(), props, dir, timeout, (from, until) -> {
                if (fault != null) {
                    long at = from + (until - from) / 3 - System.currentTimeMillis();
                    injected.add(scheduler.schedule(() -> {
                        faultAt.set(System.currentTimeMillis());
                        exporter.faultInjected(experiment.name(), configuration.name(), fault.name(), fault.target());
                        fault.inject().accept(lab);
                    }, Math.max(0, at), TimeUnit.MILLISECONDS));
                }
            });
            scheduler.shutdown();
            scheduler.awaitTermination(2, TimeUnit.MINUTES);
            for (Future<?> f : injected) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the fault " + fault.name() + " failed: " + e.getCause(), e.getCause());
                }
            }
            Map<String, Long> sessions = new LinkedHashMap<>();
            haproxyTotals(configuration).forEach((server, total) -> sessions.put(server, total - before.getOrDefault(server, 0L)));
            sampler.close();
            sampler.write(dir);
            Map<String, Double> server = new LinkedHashMap<>(result.measuredFrom() > 0 ? serverSide(configuration, result) : Map.of());
            server.putAll(SampleFigures.figures(sampler.samples(), result.measuredFrom(), faultAt.get(), result.measuredUntil(),
                    fault == null ? null : fault.node(), configuration.frontend()));
            return new RunRecord(experiment.name(), configuration.name(), repeat, position, result, server, sessions, dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            exporter.idle();
            sampler.close();
            scheduler.shutdownNow();
            if (fault != null) {
                // After the server-side figures are read: a restore may restart a node. A drain is
                // held to the end of the run, so only now can every node be expected UP.
                fault.restore().accept(lab);
                lab.awaitServersUp();
            }
        }
    }

    /** New sessions per server of the configuration's backend ("node-1" → total so far). */
    private Map<String, Long> haproxyTotals(Configuration configuration) {
        Map<String, Long> totals = new LinkedHashMap<>();
        cluster.haproxy().sessionTotals().forEach((key, total) -> {
            if (key.startsWith(configuration.frontend() + "/")) {
                totals.put(key.substring(key.indexOf('/') + 1), total);
            }
        });
        return totals;
    }

    /** The nodes' own view of the measured window, from Prometheus. */
    private Map<String, Double> serverSide(Configuration configuration, GatlingRun.Result result) {
        long at = result.measuredUntil() + SCRAPE_SLACK.toMillis();
        long wait = at - System.currentTimeMillis();
        if (wait > 0) {
            sleep(wait);
        }
        long windowSeconds = (result.measuredUntil() - result.measuredFrom()) / 1000 + SCRAPE_SLACK.toSeconds();
        String window = "[" + windowSeconds + "s]";
        String lb = "lb=\"" + configuration.lbLabel() + "\"";
        Map<String, Double> values = new LinkedHashMap<>();
        for (String q : List.of("50", "95", "99")) {
            prometheus.query("1000 * histogram_quantile(0." + q + ", sum by (le) (increase(wslab_broadcast_latency_seconds_bucket{"
                    + lb + "}" + window + ")))", at, "x").values().forEach(v -> values.put("broadcast_p" + q + "_ms", v));
        }
        prometheus.query("100 * sum(avg_over_time(process_cpu_usage{job=\"wslab-nodes\"}" + window + "))", at, "x")
                .values().forEach(v -> values.put("nodes_cpu_pct", v));
        prometheus.query("sum(increase(wslab_messages_delivered_total" + window + "))", at, "x")
                .values().forEach(v -> values.put("delivered_frames", v));
        // One fan-out per room event a node handed to local members: a publish delivered by k nodes counts k.
        prometheus.query("sum(increase(wslab_fanout_recipients_count" + window + "))", at, "x")
                .values().forEach(v -> values.put("fanouts", v));
        // The HTTP transports: requests for a session the node could not serve, and (shared sessions)
        // those passed to the session's node, with the hop's time.
        prometheus.query("sum(increase(wslab_sessions_unknown_total" + window + "))", at, "x")
                .values().forEach(v -> values.put("unknown_sessions", v));
        prometheus.query("sum(increase(wslab_sessions_forwarded_total" + window + "))", at, "x")
                .values().forEach(v -> values.put("forwarded", v));
        prometheus.query("1000 * histogram_quantile(0.5, sum by (le) (increase(wslab_session_forward_seconds_bucket" + window + ")))",
                at, "x").values().forEach(v -> values.put("forward_p50_ms", v));
        return values;
    }

    private void useNodeSettings(Map<String, String> settings) {
        if (nodeSettings == null) {
            nodeSettings = runningSettings();
        }
        if (!settings.equals(nodeSettings)) {
            out.printf("compare: restarting the nodes with %s%n", settings.isEmpty() ? "the Redis bus" : settings);
            cluster.withNodeSettings(settings).restartNodes();
            nodeSettings = settings;
        }
    }

    private void useHaproxySettings(Map<String, String> settings) {
        if (!settings.equals(haproxySettings)) {
            out.printf("compare: restarting HAProxy with %s%n", settings.isEmpty() ? "haproxy.cfg's defaults" : settings);
            cluster.withHaproxySettings(settings).restartHaproxy();
            haproxySettings = settings;
        }
    }

    /** What the running nodes were started with, as far as it matters here: the broker they report. */
    private Map<String, String> runningSettings() {
        boolean local = topology.nodeIds().stream().anyMatch(n -> cluster.health(n).orElse("").contains("\"broker\":\"local\""));
        return local ? Configuration.NOBUS.nodeSettings() : Map.of();
    }

    private static String oneLine(RunRecord r) {
        StringBuilder sb = new StringBuilder(r.gatling().succeeded() ? "ok"
                : "FAILED (exit " + r.gatling().exitCode() + (r.gatling().hardStopped() ? ", users still running at the hard stop" : "")
                        + ", see " + r.gatling().log() + ")");
        for (String key : List.of("spread_maxmin", "reconnect_same_node", "outage_max", "roundtrip_p99", "lost", "generator_cpu")) {
            Measure m = Measure.ALL.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
            Double v = m.read().apply(r);
            if (v != null) {
                sb.append("  ").append(key).append('=').append(Measure.format(v));
            }
        }
        return sb.toString();
    }

    private static String minutes(long millis) {
        long s = Math.max(0, millis / 1000);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
