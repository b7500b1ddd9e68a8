package dev.wslab.loadtest.compare;

import java.time.Duration;
import java.util.List;

/**
 * What one {@code ./lab compare} runs.
 *
 * @param experiments names of the experiments to run, in order
 * @param repeats     runs per experiment and configuration; the order of configurations alternates
 *                    between repeats so that drift (a warming JVM, a filling Redis) does not favour one
 * @param only        the configurations to run (empty: each experiment's own, all of them)
 * @param load        -Dwslab.* parameters that replace every experiment's own ({@code --rate},
 *                    {@code --rooms}: what a run at thousands of users needs so that the deliveries
 *                    stay within what the machine can carry)
 */
public record Plan(List<String> experiments, int repeats, Duration ramp, Duration duration, int users, long seed,
                   List<String> only, java.util.Map<String, String> load) {

    public Plan(List<String> experiments, int repeats, Duration ramp, Duration duration, int users, long seed) {
        this(experiments, repeats, ramp, duration, users, seed, List.of());
    }

    public Plan(List<String> experiments, int repeats, Duration ramp, Duration duration, int users, long seed, List<String> only) {
        this(experiments, repeats, ramp, duration, users, seed, only, java.util.Map.of());
    }
    public static final List<String> EXPERIMENTS = Experiment.named(Experiment.Group.COMPARE);
    /** The drain strategies (issue 8): {@code ./lab compare --experiments drains}. */
    public static final List<String> DRAINS = Experiment.named(Experiment.Group.DRAINS);
    /** The fault experiments of {@code ./lab chaos}: each a fault under steady load. */
    public static final List<String> CHAOS = Experiment.named(Experiment.Group.CHAOS);
    /** The stickiness-failure matrix (issue 8): {@code ./lab compare --experiments transports}. */
    public static final List<String> TRANSPORTS = Experiment.named(Experiment.Group.TRANSPORTS);
    /** HAProxy's policies for long sessions, room affinity's bound among them (issue 18): {@code --experiments policies}. */
    public static final List<String> POLICIES = Experiment.named(Experiment.Group.POLICIES);

    public static Plan standard() {
        return new Plan(EXPERIMENTS, 3, Duration.ofSeconds(3), Duration.ofSeconds(30), 90, 42);
    }

    /**
     * A few minutes in all: every experiment through every configuration once, short and small — to
     * see the lab work and the differences' direction. The spread over repeats needs the default
     * plan (or --repeats).
     */
    public static Plan quick() {
        return new Plan(EXPERIMENTS, 1, Duration.ofSeconds(1), Duration.ofSeconds(4), 30, 42);
    }

    public Plan {
        experiments = List.copyOf(experiments);
        only = List.copyOf(only);
        load = java.util.Map.copyOf(load);
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1");
        }
    }

    public Plan withExperiments(List<String> names) {
        return new Plan(names, repeats, ramp, duration, users, seed, only, load);
    }

    /** The plan's experiments, each through its configurations (or those of {@code only} it has). */
    public List<Experiment> selected() {
        List<Experiment> all = Experiment.all(this);
        for (String e : experiments) {
            if (all.stream().noneMatch(x -> x.name().equals(e))) {
                throw new IllegalArgumentException("unknown experiment " + e + " (known: " + EXPERIMENTS + ", " + DRAINS
                        + " (or drains), " + TRANSPORTS + ", " + POLICIES + " (or policies) and " + CHAOS + ")");
            }
        }
        return all.stream().filter(e -> experiments.contains(e.name()))
                .map(e -> only.isEmpty() ? e : e.onlyConfigurations(only))
                .filter(e -> !e.configurations().isEmpty()).toList();
    }
}
