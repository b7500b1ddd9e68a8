package dev.wslab.loadtest.compare;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One plan of the comparison runner on a lab of its own (free ports, three nodes), as {@code ./lab
 * compare} runs it: its records, summary and printed lines, for a smoke test to check; {@link #down} stops the lab.
 */
record SmokeComparison(LabTopology topology, List<RunRecord> records, Path results, String log) {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    static SmokeComparison run(Plan plan, Path dir, String name) {
        return run(plan, dir, name, false);
    }

    /** With {@code redisCluster}, the lab runs on a Redis Cluster ({@code ./lab up --redis cluster}). */
    static SmokeComparison run(Plan plan, Path dir, String name, boolean redisCluster) {
        LabTopology topology = LabTopology.onFreePorts(HOME, dir.resolve("run"), 3);
        Path results = dir.resolve("results");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true);
        Lab lab = new Lab(topology, out);
        lab.chooseRedis(redisCluster);
        List<RunRecord> records = new Comparison(lab, plan, results, out).run();
        new Results(plan, records, CompareMain.machine(false)).write(results, name);
        System.out.print(log);
        return new SmokeComparison(topology, records, results, log.toString());
    }

    void down() {
        new Lab(topology, System.out).down();
    }

    /** The run of one experiment through one configuration. */
    RunRecord of(String experiment, String configuration) {
        return records.stream().filter(r -> r.experiment().equals(experiment) && r.configuration().equals(configuration))
                .findFirst().orElseThrow();
    }
}
