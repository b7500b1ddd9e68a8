package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wslab.launcher.Binaries;
import dev.wslab.launcher.Command;
import dev.wslab.launcher.docker.DockerApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The project's docker-compose.yml under one project name, run with the docker-compose users have. */
record ComposeProject(Path home, String name, Map<String, String> env) {

    /** docker-compose with the file, the name and the environment; fails with the end of its output unless it exits 0. */
    String run(Duration timeout, String... args) {
        Command.Result result = result(timeout, args);
        assertThat(result.exit()).as("docker-compose " + String.join(" ", args) + ":\n" + tail(result.output(), 40)).isZero();
        return result.output();
    }

    Command.Result result(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(Binaries.require("docker-compose", "docker-compose").toString(),
                "-f", home.resolve("docker-compose.yml").toString(), "-p", name, "--ansi", "never"));
        command.addAll(List.of(args));
        return Command.run(timeout, command);
    }

    /** A comparison run in the loadtest container: what it printed, its data.json, each run as "experiment/configuration succeeded". */
    record Comparison(String output, JsonNode data) {
        List<String> runs() {
            List<String> runs = new ArrayList<>();
            for (JsonNode run : data.path("runs")) {
                runs.add(run.path("experiment").asText() + "/" + run.path("configuration").asText() + " " + run.path("succeeded").asBoolean());
            }
            return runs;
        }
    }

    /** {@code compare --quick} with these arguments in the loadtest container, once it has written its summary and report. */
    Comparison compare(String results, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of("--profile", "loadtest", "run", "--rm", "loadtest", "compare", "--quick"));
        command.addAll(List.of(args));
        command.addAll(List.of("--results", "/opt/wslab/results/" + results));
        String output = run(Duration.ofMinutes(15), command.toArray(String[]::new));
        System.out.println(tail(output, 12));
        Path dir = home.resolve("results").resolve(results);
        assertThat(dir.resolve("summary.md")).exists();
        assertThat(dir.resolve("report.html")).exists();
        JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("data.json").toFile());
        return new Comparison(output, data);
    }

    /** Whether the engine has the image or can pull it. */
    static boolean imageCanBeHad(DockerApi api, String image) {
        if (api.get("/images/" + image + "/json").status() == 200) {
            return true;
        }
        return Command.run(Duration.ofMinutes(3), List.of(Binaries.require("docker", "docker.io").toString(), "pull", image)).ok();
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Each Prometheus scrape target ("job instance") and its health, as the project's Prometheus sees them. */
    static Map<String, String> targetHealth(int prometheusPort) {
        Map<String, String> health = new java.util.LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode t : Http.get(prometheusPort, "/api/v1/targets").json().at("/data/activeTargets")) {
            health.put(t.at("/labels/job").asText() + " " + t.at("/labels/instance").asText(), t.path("health").asText());
        }
        return health;
    }

    /**
     * A free host port for every port the compose file publishes ({@code WSLAB_PUBLISH_*}), so a test's
     * project does not collide with a lab a user runs on the defaults.
     */
    static Map<String, String> freePublishedPorts() {
        dev.wslab.launcher.FreePorts.Picker ports = new dev.wslab.launcher.FreePorts.Picker();
        Map<String, String> publish = new java.util.LinkedHashMap<>();
        for (String name : List.of("STICKY", "ROUNDROBIN", "WEIGHTED", "AFFINITY", "RANDOM", "STATS", "PROMETHEUS", "GRAFANA")) {
            publish.put("WSLAB_PUBLISH_" + name, Integer.toString(ports.find()));
        }
        return publish;
    }
}
