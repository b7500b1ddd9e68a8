package dev.wslab.loadtest.compare;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario with its load, run through each of its configurations.
 *
 * @param simulation  the Gatling simulation class
 * @param fault       what the runner does to the lab a third of the way into the measured phase, or null
 * @param load        the scenario's -Dwslab.* parameters
 * @param group       which option of {@code ./lab compare} or {@code ./lab chaos} runs it
 */
public record Experiment(String name, String simulation, List<Configuration> configurations, Fault fault,
                         Map<String, String> load, String question, Group group) {

    /**
     * Which option runs an experiment: {@code compare} (the default set), {@code --experiments
     * drains|transports|policies}, {@code chaos}.
     */
    public enum Group { COMPARE, DRAINS, TRANSPORTS, POLICIES, CHAOS }

    private static final String PACKAGE = "dev.wslab.loadtest.scenarios.";

    /** The names of one group's experiments, in the order they run. */
    public static List<String> named(Group group) {
        // The names do not depend on the plan's size: any plan will do to list them.
        return all(new Plan(List.of(), 1, Duration.ZERO, Duration.ZERO, 1, 0)).stream()
                .filter(e -> e.group() == group).map(Experiment::name).toList();
    }

    /** Every experiment at the plan's size: the one place experiments are declared. The no-bus configuration runs where loss is visible. */
    public static List<Experiment> all(Plan plan) {
        List<Configuration> policies = List.of(Configuration.STICKY, Configuration.ROUNDROBIN);
        // Plain leastconn against node-driven weights and the active rebalancer (and round-robin).
        List<Configuration> balancing = List.of(Configuration.STICKY, Configuration.ROUNDROBIN, Configuration.WEIGHTED,
                Configuration.REBALANCE);
        List<Configuration> jitter = List.of(Configuration.STICKY, Configuration.NOJITTER);
        // HAProxy's policies for long sessions side by side: leastconn (sticky), round robin, the power
        // of two choices and room affinity; affinity also at other bounds on a node's load (its
        // hash-balance-factor: none, 125, 200 besides haproxy.cfg's 150), to choose one by measurement.
        List<Configuration> lbPolicies = List.of(Configuration.STICKY, Configuration.ROUNDROBIN, Configuration.RANDOM,
                Configuration.AFFINITY);
        List<Configuration> factors = new java.util.ArrayList<>(lbPolicies);
        factors.addAll(List.of(Configuration.affinityWithFactor(0), Configuration.affinityWithFactor(125),
                Configuration.affinityWithFactor(200)));
        // Room sizes skewed (Zipf over 20 rooms: the largest has about a third of the users), where a hash
        // on the room crowds the hot room's node.
        Map<String, String> skewed = Map.of("wslab.rooms", "20");
        // The drain experiments' clients publish 5/s: a client notices its socket closed at its next
        // publish, and the herd a drain makes cannot be sharper than that notice. Their first
        // reconnect waits up to 1 s (exactly 1 s without jitter): wide against that notice, so
        // jitter has room to show what it does.
        Map<String, String> drainLoad = Map.of("wslab.backoffBaseMs", "1000");
        return List.of(
                new Experiment("rooms", PACKAGE + "RoomsSimulation", Configuration.ALL, null,
                        load(plan, plan.users(), 2, Map.of()),
                        "Does the policy change broadcast latency or delivery once sockets are open? What does dropping the bus cost?", Group.COMPARE),
                new Experiment("churn", PACKAGE + "ChurnSimulation", policies, null,
                        load(plan, plan.users(), 2, Map.of("wslab.holdMs", "2000", "wslab.gapMs", "500")),
                        "Where do reconnecting clients land, and do they resume without loss?", Group.COMPARE),
                new Experiment("restart", PACKAGE + "RestartSimulation", balancing, Fault.restart("node-2"),
                        load(plan, plan.users(), 2, Map.of()),
                        "How fast do a restarted node's clients come back, and how even is the cluster afterwards?", Group.COMPARE),
                new Experiment("backend", PACKAGE + "BackendPublishSimulation", Configuration.ALL, null,
                        backendLoad(plan),
                        "Does an HTTP publish reach every listener on every node?", Group.COMPARE),
                new Experiment("scaleout", PACKAGE + "RestartSimulation", balancing, Fault.scaleOut(),
                        load(plan, plan.users(), 2, Map.of()),
                        "A node joins a loaded cluster: how soon, if ever, is the load even, and at what cost?", Group.COMPARE),
                new Experiment("drain-all", PACKAGE + "RestartSimulation", jitter,
                        Fault.drainBy("drain-all", "node-2", "strategy=all&graceMs=0", "every socket closed at once"),
                        load(plan, plan.users(), 5, drainLoad),
                        "Drain closing every socket at once: how sharp is the reconnect peak, with and without client jitter?", Group.DRAINS),
                new Experiment("drain-batches", PACKAGE + "RestartSimulation", jitter,
                        Fault.drainBy("drain-batches", "node-2", "strategy=batches&graceMs=0&batchSize=" + drainBatch(plan)
                                        + "&intervalMs=1000", drainBatch(plan) + " sockets closed per second"),
                        load(plan, plan.users(), 5, drainLoad),
                        "Drain in batches, the node's share over 6 s: a lower peak for a longer drain?", Group.DRAINS),
                new Experiment("drain-spread", PACKAGE + "RestartSimulation", jitter,
                        Fault.drainBy("drain-spread", "node-2", "strategy=spread&graceMs=0&windowMs=6000",
                                "each socket closed at a random moment within 6 s"),
                        load(plan, plan.users(), 5, drainLoad),
                        "Drain spread at random over 6 s: does it flatten the peak even without client jitter?", Group.DRAINS),
                new Experiment("drain-lb", PACKAGE + "RestartSimulation", jitter,
                        Fault.drainBy("drain-lb", "node-2", "strategy=lb-only", "HAProxy drain only, nothing closed"),
                        load(plan, plan.users(), 5, drainLoad),
                        "HAProxy drain only: no reconnects at all, but how many clients are still on the node when the run ends?", Group.DRAINS),
                new Experiment("transports", PACKAGE + "RestartSimulation", Configuration.transports(), null,
                        load(plan, plan.users(), 2, Map.of()),
                        "Which transports need a sticky load balancer? What do unknown sessions, and forwarding instead, cost in latency and loss?", Group.TRANSPORTS),
                new Experiment("skew", PACKAGE + "RoomsSimulation", factors, null, load(plan, plan.users(), 2, skewed),
                        "Room sizes skewed: what does room affinity save on the bus and cost in spread, and which load bound should it have?",
                        Group.POLICIES),
                new Experiment("room-node-kill", PACKAGE + "RestartSimulation", lbPolicies, Fault.killRoomNode("room-0"),
                        load(plan, plan.users(), 2, skewed),
                        "The node of the largest room dies: how do its members come back, all at once and together, or spread?",
                        Group.POLICIES),
                // A steady stream of newcomers (a tenth of the users a second, at most 20: HAProxy's
                // per-source limit lets 2,000 new connections per 10 s in from each of the generator's
                // addresses, 400 users each, whose ramp counts too) while a node joins.
                new Experiment("surge", PACKAGE + "RestartSimulation", lbPolicies, Fault.scaleOut(),
                        load(plan, plan.users(), 2, Map.of("wslab.arrivalsPerSecond", Double.toString(Math.min(20, plan.users() / 10.0)))),
                        "A node joins while clients keep arriving: how much of the arrivals does it take at first, and how even is the end?",
                        Group.POLICIES),
                // hard-stop-after at a sixth of the measured phase (5 s of the default 30), so the cut falls inside it.
                new Experiment("reload", PACKAGE + "RestartSimulation", List.of(Configuration.reloading("reload-keep", null, null),
                        Configuration.reloading("reload-hard-stop", hardStop(plan), null),
                        Configuration.reloading("reload-spread", hardStop(plan), hardStop(plan))), Fault.reloadHaproxy(),
                        load(plan, plan.users(), 2, Map.of()),
                        "HAProxy reloads under load: which open sockets does it cut, and when? What does the reconnect burst look like, and is anything lost?",
                        Group.POLICIES),
                chaos(plan, Fault.kill("node-2"), "A node crashes: how fast are its clients back, and is anything lost?"),
                chaos(plan, Fault.drain("node-2"), "A node is drained for maintenance: do its clients move without loss?"),
                chaos(plan, Fault.rolling(), "Every node restarts in turn (a deploy): what do clients go through?"),
                chaos(plan, Fault.redisRestart(), "The shared Redis restarts: do nodes resubscribe and clients lose nothing?"),
                chaos(plan, Fault.redisFailover(),
                        "A Redis Cluster master dies: how long are its rooms refused, and does every client get every message or hear of the gap?"),
                chaos(plan, Fault.partition("node-2"),
                        "A node is cut off the network (no FIN, no RST): how long until its clients are elsewhere, and is anything lost?"));
    }

    /**
     * A fault under the restart scenario's steady load ({@code ./lab chaos <kind>}), through both
     * policies. The Redis bus is always on: the question is whether resume keeps the promise.
     */
    private static Experiment chaos(Plan plan, Fault fault, String question) {
        return new Experiment(fault.name(), PACKAGE + "RestartSimulation", List.of(Configuration.STICKY, Configuration.ROUNDROBIN),
                fault, load(plan, plan.users(), 2, Map.of()), question, Group.CHAOS);
    }

    /**
     * The batch drain's sockets a second: a node's share (a third of the users) in 6 s, the spread
     * drain's window, so the two pace alike at any size — 5 at 90 users; a fixed 5 would take a
     * 1,000-user run's node 67 s, past the measured phase.
     */
    static int drainBatch(Plan plan) {
        return Math.max(5, (int) Math.ceil(plan.users() / 3.0 / 6));
    }

    /** The reload experiment's hard-stop-after: a sixth of the measured phase, at least a second. */
    private static String hardStop(Plan plan) {
        return Math.max(1000, plan.duration().toMillis() / 6) + "ms";
    }

    private static Map<String, String> load(Plan plan, int users, double rate, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("wslab.users", Integer.toString(users));
        p.put("wslab.rampMs", Long.toString(plan.ramp().toMillis()));
        p.put("wslab.durationMs", Long.toString(plan.duration().toMillis()));
        p.put("wslab.rate", Double.toString(rate));
        p.put("wslab.rooms", "6");
        p.put("wslab.seed", Long.toString(plan.seed()));
        p.putAll(extra);
        p.putAll(plan.load());
        return p;
    }

    /**
     * The backend's rate is its POSTs a second in all (50), and {@code --rate} is per user: a run at
     * 1,000 users and 0.05 a user posts 50 a second, not one every 20 s.
     */
    private static Map<String, String> backendLoad(Plan plan) {
        Map<String, String> p = load(plan, plan.users(), 50, Map.of());
        String perUser = plan.load().get("wslab.rate");
        if (perUser != null) {
            p.put("wslab.rate", Double.toString(Double.parseDouble(perUser) * plan.users()));
        }
        return p;
    }

    /** The experiments without the configurations this cluster cannot run (each said, with why); none left empty. */
    static List<Experiment> runnableOn(dev.wslab.launcher.Cluster cluster, List<Experiment> selected, java.io.PrintStream out) {
        java.util.Optional<String> why = cluster.cannotRestartHaproxy();
        if (why.isEmpty()) {
            return selected;
        }
        List<Experiment> kept = new java.util.ArrayList<>();
        for (Experiment e : selected) {
            List<String> names = e.configurations().stream().filter(c -> c.haproxySettings().isEmpty()).map(Configuration::name).toList();
            if (names.size() < e.configurations().size()) {
                out.printf("compare: %s leaves out %s: %s%n", e.name(), e.configurations().stream()
                        .filter(c -> !c.haproxySettings().isEmpty()).map(Configuration::name).toList(), why.get());
            }
            if (!names.isEmpty()) {
                kept.add(e.onlyConfigurations(names));
            }
        }
        return kept;
    }

    /** The same experiment through just the named configurations (of its own). */
    public Experiment onlyConfigurations(List<String> names) {
        return new Experiment(name, simulation, configurations.stream().filter(c -> names.contains(c.name())).toList(),
                fault, load, question, group);
    }

    /**
     * What one run costs besides its ramp and measured phase: Gatling's JVM start and report, the
     * scrape wait for the nodes' figures, a fault's healing and HAProxy seeing every node UP again.
     * Measured: 16 quick runs (5 s of load each) took 12 min of CompareSmokeIT on our 2 cores, about
     * 45 s a run with the node restarts between configurations ({@link Comparison#NODE_RESTART}).
     */
    static final Duration RUN_OVERHEAD = Duration.ofSeconds(30);

    /** Roughly how long one run takes: ramp, measured phase, settle, JVM start and report. */
    public Duration expectedRunTime() {
        long ms = Long.parseLong(load.get("wslab.rampMs")) + Long.parseLong(load.get("wslab.durationMs"))
                + Long.parseLong(load.getOrDefault("wslab.holdMs", "0"));
        return Duration.ofMillis(ms).plus(RUN_OVERHEAD);
    }
}
