package dev.wslab.loadtest.bench;

import dev.wslab.loadtest.report.Cells;
import java.io.IOException;
import java.io.PrintStream;
import dev.wslab.loadtest.stats.ProcessCpu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./lab bench cost}: what a delivery costs each target, in CPU microseconds of its own
 * processes (and, apart, of the load generator), at one offered rate below every target's saturation.
 * On two shared cores a rate says more about the generator than the server; the price per delivery
 * does not. Each target is started afresh and measured twice: cold, the first window after its start
 * (what takes the reconnect storm after a deploy), and warm, after the JIT has had a warm-up at the
 * same rate. Repeats run the targets in alternating order, which cancels drift.
 */
final class Cost {
    /**
     * One room of {@code subscribers}, {@code deliveriesPerSecond} offered, windows and warm-up; with
     * {@code profile}, each JVM target gets one more window after the warm one, under JFR.
     */
    record Plan(int subscribers, int deliveriesPerSecond, Duration window, Duration warmUp, int repeats, boolean profile) {
        static Plan full() {
            return new Plan(1000, 40_000, Duration.ofSeconds(10), Duration.ofSeconds(20), 3, false);
        }

        static Plan quick() {
            return new Plan(1000, 40_000, Duration.ofSeconds(3), Duration.ofSeconds(5), 1, false);
        }

        int messagesPerSecond() {
            return Math.max(1, deliveriesPerSecond / subscribers);
        }

        /** What data.json and the summary say of the plan. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subscribers", subscribers);
            m.put("deliveriesPerSecond", deliveriesPerSecond);
            m.put("messagesPerSecond", messagesPerSecond());
            m.put("windowSeconds", window.toMillis() / 1000.0);
            m.put("warmUpSeconds", warmUp.toMillis() / 1000.0);
            m.put("repeats", repeats);
            m.put("profile", profile);
            return m;
        }
    }

    private final Plan plan;
    private final PrintStream out;
    private final Path results;
    private final List<Map<String, Object>> profiles = new ArrayList<>();
    private final List<Map<String, Object>> threads = new ArrayList<>();

    Cost(Plan plan, PrintStream out, Path results) {
        this.plan = plan;
        this.out = out;
        this.results = results;
    }

    /** Each JVM target's warm window, CPU milliseconds by thread (from /proc): where the price went. */
    List<Map<String, Object>> threads() {
        return threads;
    }

    /** What each JFR recording said, when the plan profiles. */
    List<Map<String, Object>> profiles() {
        return profiles;
    }

    /** Cold and warm steps of every target and repeat; a target that fails is reported in {@code failures}. */
    List<Fanout.Step> run(List<Fanout.Target> targets, List<String> failures) {
        List<Fanout.Step> steps = new ArrayList<>();
        for (int repeat = 1; repeat <= plan.repeats(); repeat++) {
            List<Fanout.Target> order = new ArrayList<>(targets);
            if (repeat % 2 == 0) {
                Collections.reverse(order);
            }
            for (Fanout.Target target : order) {
                try {
                    steps.addAll(measure(target, repeat));
                } catch (IOException | RuntimeException e) {
                    failures.add(target.name() + " (cost, repeat " + repeat + "): " + e.getMessage());
                    out.println("cost: " + failures.get(failures.size() - 1));
                }
            }
        }
        return steps;
    }

    private List<Fanout.Step> measure(Fanout.Target target, int repeat) throws IOException {
        target.restart().run();
        Fanout fanout = new Fanout(target, repeat, plan.subscribers(), plan.window());
        try {
            fanout.connect();
            Fanout.Step cold = fanout.measure(plan.messagesPerSecond(), "cold");
            print(cold);
            fanout.warmUp(plan.messagesPerSecond(), plan.warmUp());
            long jvm = target.servers().get().get(0);
            Map<String, Long> before = isJvm(jvm) ? ProcessCpu.byThread(jvm) : null;
            Fanout.Step warm = fanout.measure(plan.messagesPerSecond(), "warm");
            print(warm);
            if (before != null) {
                Map<String, Object> t = new LinkedHashMap<>(Map.of("target", target.name(), "repeat", repeat,
                        "deliveries", warm.delivered()));
                t.put("cpuMillisByThread", Profile.millisSince(before, ProcessCpu.byThread(jvm)));
                threads.add(t);
            }
            if (!plan.profile() || before == null) {
                return List.of(cold, warm);
            }
            String name = Targets.fileName(target.name()) + "-r" + repeat + ".jfr";
            Profile profile = Profile.start(jvm, results.resolve(name));
            Fanout.Step profiled = fanout.measure(plan.messagesPerSecond(), "profiled");
            Map<String, Object> summary = new LinkedHashMap<>(Map.of("target", target.name(), "repeat", repeat));
            summary.putAll(profile.stop());
            profiles.add(summary);
            print(profiled);
            return List.of(cold, warm, profiled);
        } finally {
            fanout.close();
        }
    }

    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    }

    private void print(Fanout.Step s) {
        out.printf("cost: %-20s r%d %-4s %,7.0f deliveries/s  server %5.2f µs  generator %5.2f µs per delivery (%.0f %% of the machine)  p50 %s p99 %s p99.9 %s ms%s%n",
                s.target(), s.repeat(), s.phase(), s.deliveriesPerSecond(), s.serverMicros(), s.generatorMicros(), 100 * s.generatorCpu(),
                ms(s, "p50"), ms(s, "p99"), ms(s, "p999"), s.saturated() ? "  SATURATED" : "");
    }

    static String ms(Fanout.Step s, String key) {
        return Cells.number(s.latencyMillis().get(key), "%.1f");
    }
}
