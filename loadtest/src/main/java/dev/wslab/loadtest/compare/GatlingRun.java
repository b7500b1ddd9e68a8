package dev.wslab.loadtest.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one Gatling simulation in a child JVM, so that its CPU use is its own and a crash cannot take
 * the runner down. Reads the child's output as it comes: the phases line (when the measured phase
 * starts and ends, for actions timed against it) and Gatling's request counts.
 */
public final class GatlingRun {
    private static final Pattern PHASES = Pattern.compile("wslab-phases start=(\\d+) measuredFrom=(\\d+) measuredUntil=(\\d+)");
    private static final Pattern REQUEST_COUNT = Pattern.compile("> request count\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d,-]+)\\s*\\|\\s*([\\d,-]+)");
    private static final Pattern REPORT = Pattern.compile("open the following file: file://(\\S+)");

    /** What a run produced: its measured window (epoch ms), Gatling's counts, the scenario's own measurements. */
    public record Result(int exitCode, long measuredFrom, long measuredUntil, long requests, long ok, long ko,
                         JsonNode wslab, Path report, Path log) {
        /** Gatling exited cleanly, the scenario reported, and its users ended by themselves, not by the hard stop. */
        public boolean succeeded() {
            return exitCode == 0 && wslab != null && measuredFrom > 0 && !hardStopped();
        }

        public boolean hardStopped() {
            return wslab != null && wslab.path("hardStopped").asBoolean(false);
        }
    }

    private final Path home;

    public GatlingRun(Path home) {
        this.home = home;
    }

    /** The loadtest module's classes and dependencies, as Maven built them. */
    String classpath() {
        Path classes = home.resolve("loadtest/target/classes");
        Path deps = home.resolve("loadtest/target/classpath.txt");
        try {
            return classes + java.io.File.pathSeparator + Files.readString(deps).trim();
        } catch (IOException e) {
            throw new IllegalStateException(deps + " is missing: build with mvn -q -DskipTests install", e);
        }
    }

    /**
     * Runs {@code simulation} with {@code properties}, writing into {@code dir}; calls {@code onPhases}
     * with the measured window as soon as the simulation announces it. Stops the child if it outlives
     * {@code timeout}.
     */
    public Result run(String simulation, Map<String, String> properties, Path dir, Duration timeout,
                      BiConsumer<Long, Long> onPhases) {
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
                    "-cp", classpath()));
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-Dwslab.out=" + dir.resolve("scenario"));
            command.addAll(List.of("io.gatling.app.Gatling", "--simulation", simulation,
                    "--results-folder", dir.resolve("gatling").toString(), "--launcher", "wslab"));
            Path log = dir.resolve("gatling.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            long[] window = {0, 0};
            long[] counts = {0, 0, 0};
            Path[] report = {null};
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        out.println(line);
                        Matcher m = PHASES.matcher(line);
                        if (m.find()) {
                            window[0] = Long.parseLong(m.group(2));
                            window[1] = Long.parseLong(m.group(3));
                            onPhases.accept(window[0], window[1]);
                        }
                        Matcher c = REQUEST_COUNT.matcher(line);
                        if (c.find()) {
                            counts[0] = number(c.group(1));
                            counts[1] = number(c.group(2));
                            counts[2] = number(c.group(3));
                        }
                        Matcher r = REPORT.matcher(line);
                        if (r.find()) {
                            report[0] = Path.of(r.group(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "gatling-output");
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(10_000);
            Path scenario = dir.resolve("scenario/wslab.json");
            JsonNode wslab = Files.isRegularFile(scenario) ? new ObjectMapper().readTree(scenario.toFile()) : null;
            return new Result(process.exitValue(), window[0], window[1], counts[0], counts[1], counts[2], wslab, report[0], log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long number(String s) {
        String digits = s.replace(",", "");
        return digits.equals("-") ? 0 : Long.parseLong(digits);
    }
}
