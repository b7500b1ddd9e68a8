package dev.wslab.loadtest.soak;

import dev.wslab.launcher.cli.Subcommand;
import dev.wslab.launcher.LabTopology;
import dev.wslab.loadtest.compare.CompareMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** {@code ./lab soak}. Exit codes: 0 nothing grows past its bound, 1 something does (or the run failed), 2 usage. */
public final class SoakMain {
    /** The usage of ./lab's registry, where every subcommand is declared. */
    private static final String USAGE = Subcommand.usage(Subcommand.SOAK);

    private SoakMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        int minutes = 30;
        int users = 30;
        Path results = home.resolve("results").resolve("soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                    case "--users" -> users = Integer.parseInt(args[++i]);
                    case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            if (minutes < 1 || minutes > 24 * 60 || users < 1 || users > 1000) {
                throw new IllegalArgumentException("--minutes 1-1440, --users 1-1000");
            }
        } catch (RuntimeException e) {
            System.err.print(USAGE);
            return 2;
        }
        return soak(LabTopology.defaults(home, LabTopology.DEFAULT_NODES), Soak.Plan.of(Duration.ofMinutes(minutes), users),
                results, out);
    }

    /** Runs the soak on this topology and writes its report; what the launcher command and the smoke test call. */
    public static int soak(LabTopology topology, Soak.Plan plan, Path results, PrintStream out) {
        try {
            Soak.Result result = new Soak(topology, out).run(plan);
            SoakReport.write(results, result, Map.of("machine", CompareMain.machine(false),
                    "started", LocalDateTime.now().minus(plan.duration()).withNano(0).toString()));
            result.growth().forEach(g -> out.println("soak: " + g.verdict()));
            out.println("soak: load " + result.load());
            out.println("soak: report " + results.resolve("report.html"));
            return result.leaks() ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("soak: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
