package dev.wslab.loadtest.compare;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario with its load, run through each of its configurations.
 *
 * @param simulation  the Gatling simulation class
 * @param restartNode the node the runner restarts a third of the way into the measured phase, or null
 * @param load        the scenario's -Dwslab.* parameters
 */
public record Experiment(String name, String simulation, List<Configuration> configurations, String restartNode,
                         Map<String, String> load, String question) {

    private static final String PACKAGE = "dev.wslab.loadtest.scenarios.";

    /** The four experiments at the plan's size. The no-bus configuration runs where loss is visible. */
    public static List<Experiment> all(Plan plan) {
        List<Configuration> policies = List.of(Configuration.STICKY, Configuration.ROUNDROBIN);
        return List.of(
                new Experiment("rooms", PACKAGE + "RoomsSimulation", Configuration.ALL, null,
                        load(plan, plan.users(), 2, Map.of()),
                        "Does the policy change broadcast latency or delivery once sockets are open? What does dropping the bus cost?"),
                new Experiment("churn", PACKAGE + "ChurnSimulation", policies, null,
                        load(plan, plan.users(), 2, Map.of("wslab.holdMs", "2000", "wslab.gapMs", "500")),
                        "Where do reconnecting clients land, and do they resume without loss?"),
                new Experiment("restart", PACKAGE + "RestartSimulation", policies, "node-2",
                        load(plan, plan.users(), 2, Map.of()),
                        "How fast do a restarted node's clients come back, and how even is the cluster afterwards?"),
                new Experiment("backend", PACKAGE + "BackendPublishSimulation", Configuration.ALL, null,
                        load(plan, plan.users(), 50, Map.of()),
                        "Does an HTTP publish reach every listener on every node?"));
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
        return p;
    }

    /** Roughly how long one run takes: ramp, measured phase, settle, JVM start and report. */
    public Duration expectedRunTime() {
        long ms = Long.parseLong(load.get("wslab.rampMs")) + Long.parseLong(load.get("wslab.durationMs"))
                + Long.parseLong(load.getOrDefault("wslab.holdMs", "0")) + 9000;
        return Duration.ofMillis(ms);
    }
}
