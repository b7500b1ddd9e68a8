package dev.wslab.server;

import dev.wslab.server.config.Config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.docker.ComposeLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is held, statically, to the topology the native launcher runs and tests: same
 * services, ports, config files and settings (ComposeIT runs it on a real engine).
 */
class ComposeFileTest {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final LabTopology LAB = LabTopology.defaults(HOME, 3);

    private final JsonNode compose;
    private final JsonNode services;

    ComposeFileTest() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(HOME.resolve("docker-compose.yml").toFile());
        services = compose.get("services");
    }

    @Test
    void hasTheLabsServicesAndGrafana() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new TreeSet<>(LAB.nodeIds());
        expected.addAll(List.of("redis", "haproxy", "prometheus", "grafana", "loadtest", "redis-cluster-init"));
        expected.addAll(clusterNodes().keySet());
        assertThat(names).isEqualTo(expected);
        assertThat(services.at("/loadtest/profiles").toString()).as("plain `up` leaves the load generator out")
                .isEqualTo("[\"loadtest\"]");
        for (String service : union(clusterNodes().keySet(), "redis-cluster-init")) {
            assertThat(services.at("/" + service + "/profiles").toString()).as("plain `up` leaves " + service + " out")
                    .isEqualTo("[\"redis-cluster\"]");
        }
    }

    @Test
    void theRedisClusterProfileIsTheNativeClusterOnTheSamePorts() {
        Map<String, Integer> nodes = clusterNodes();
        assertThat(nodes.values()).containsExactlyElementsOf(LAB.redisClusterPorts());
        String single = services.at("/redis/command").toString();
        nodes.forEach((service, port) -> {
            String command = services.at("/" + service + "/command").toString();
            // As the single Redis (append-only, no snapshots), plus what makes it a cluster node.
            assertThat(command).contains(single.substring(single.indexOf("\"--bind\""), single.length() - 1));
            assertThat(command).contains("\"--cluster-enabled\",\"yes\"", "\"--cluster-port\",\""
                    + LabTopology.redisClusterBusPort(port) + "\"", "\"--cluster-announce-hostname\",\"" + service + "\"",
                    "\"--cluster-preferred-endpoint-type\",\"hostname\"");
            assertThat(services.at("/" + service + "/volumes").toString()).contains(service + "-data:/data");
            assertThat(services.at("/" + service + "/healthcheck/test").toString()).contains("\"" + port + "\",\"ping\"");
            assertThat(services.at("/redis-cluster-init/depends_on/" + service + "/condition").asText()).isEqualTo("service_healthy");
        });
        List<String> seeds = nodes.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
        List<String> init = new ArrayList<>();
        services.at("/redis-cluster-init/command").forEach(word -> init.add(word.asText()));
        assertThat(init).endsWith(seeds.toArray(String[]::new));
        assertThat(init.get(init.size() - seeds.size() - 1)).as("replicas per master").isEqualTo("1");
    }

    @Test
    void theProfilesEnvFileMovesEveryNodeFromTheSingleRedisToTheCluster() throws IOException {
        Map<String, String> file = new HashMap<>();
        for (String line : Files.readAllLines(HOME.resolve("docker/redis-cluster.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                file.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertThat(file).containsEntry("COMPOSE_PROFILES", "redis-cluster");
        String seeds = clusterNodes().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        for (int i = 1; i <= LAB.nodes(); i++) {
            Map<String, String> env = env(LAB.nodeId(i));
            assertThat(interpolated(env.get("WSLAB_REDIS_URI"), Map.of())).isEqualTo("redis://redis:" + LAB.redisPort());
            assertThat(interpolated(env.get("WSLAB_REDIS_CLUSTER"), Map.of())).isEmpty();
            // The node refuses both at once (Config): the file must empty the one it fills the other for.
            assertThat(interpolated(env.get("WSLAB_REDIS_URI"), file)).isEmpty();
            assertThat(interpolated(env.get("WSLAB_REDIS_CLUSTER"), file)).isEqualTo(seeds);
        }
    }

    @Test
    void publishesOnlyTheFrontendsStatsPrometheusAndGrafanaOnTheNativePorts() {
        assertThat(ports("redis")).isEmpty();
        for (String service : union(clusterNodes().keySet(), "redis-cluster-init")) {
            assertThat(ports(service)).as(service + " stays on the compose network").isEmpty();
        }
        for (int i = 1; i <= LAB.nodes(); i++) {
            assertThat(ports(LAB.nodeId(i))).as("node ports stay on the compose network").isEmpty();
        }
        List<Integer> frontends = List.of(LAB.stickyPort(), LAB.roundRobinPort(), LAB.weightedPort(), LAB.affinityPort(),
                LAB.randomPort(), LAB.statsPort());
        assertThat(ports("haproxy")).isEqualTo(frontends);
        assertThat(publishedDefaults("haproxy")).isEqualTo(frontends);
        assertThat(ports("prometheus")).containsExactly(LAB.prometheusPort());
        assertThat(publishedDefaults("prometheus")).containsExactly(LAB.prometheusPort());
        assertThat(ports("grafana")).containsExactly(3000);
        assertThat(services.at("/redis/command").toString()).contains("\"--port\",\"" + LAB.redisPort() + "\"");
    }

    @Test
    void theRunnerReachesHaproxysRuntimeApiOnTheComposeNetwork() {
        assertThat(env("haproxy").get("WSLAB_HAPROXY_SOCKET")).isEqualTo("ipv4@0.0.0.0:" + ComposeLab.HAPROXY_API_PORT);
        assertThat(services.at("/loadtest/volumes").toString()).contains("node-overrides:" + ComposeLab.OVERRIDES_IN_CONTAINER);
        for (int i = 1; i <= LAB.nodes(); i++) {
            assertThat(services.at("/" + LAB.nodeId(i) + "/volumes").toString())
                    .contains("node-overrides:" + ComposeLab.OVERRIDES_IN_CONTAINER + ":ro");
        }
    }

    @Test
    void everyImageTheProjectBuildsStartsFromDebianBookwormSlim() throws IOException {
        for (String dockerfile : List.of("Dockerfile", "docker/Dockerfile.debian")) {
            Set<String> stages = new TreeSet<>();
            for (String line : Files.readAllLines(HOME.resolve(dockerfile))) {
                if (line.startsWith("FROM ")) {
                    String[] words = line.split("\\s+");
                    assertThat(words[1]).as(dockerfile + ": " + line).isIn(union(stages, "debian:bookworm-slim"));
                    if (words.length == 4) {
                        stages.add(words[3]);
                    }
                }
            }
        }
        for (JsonNode service : services) {
            if (!service.path("build").isMissingNode()) {
                String dockerfile = service.at("/build/dockerfile").asText();
                String context = service.at("/build/context").asText();
                assertThat(HOME.resolve(context).resolve(dockerfile).normalize().toString())
                        .isIn(HOME.resolve("Dockerfile").toString(), HOME.resolve("docker/Dockerfile.debian").toString());
            }
        }
        assertThat(services.at("/grafana/image").asText()).startsWith("grafana/grafana:");
    }

    @Test
    void nodesGetTheLaunchersVariablesAndOnlySettingsTheNodeReads() {
        Set<String> settings = dev.wslab.settings.NodeSettings.ALL.stream().map(dev.wslab.settings.Setting::env).collect(Collectors.toSet());
        for (int i = 1; i <= LAB.nodes(); i++) {
            Map<String, String> env = env(LAB.nodeId(i));
            Map<String, String> expected = new HashMap<>(LAB.nodeEnv(i));
            // Inside Docker a node listens on every interface and finds Redis by service name; its
            // admin port must be reachable from the loadtest container (never through HAProxy).
            expected.put("WSLAB_HOST", "0.0.0.0");
            expected.put("WSLAB_ADMIN_HOST", "0.0.0.0");
            expected.put("WSLAB_REDIS_URI", "redis://redis:" + LAB.redisPort());
            expected.put("WSLAB_REDIS_CLUSTER", "");
            env.replaceAll((name, value) -> interpolated(value, Map.of()));
            assertThat(env).isEqualTo(expected);
            assertThat(settings).containsAll(env.keySet());
        }
    }

    @Test
    void haproxyExpandsTheSameVariablesAsNatively() {
        Map<String, String> env = env("haproxy");
        assertThat(env.keySet()).isEqualTo(LAB.haproxyEnv().keySet());
        assertThat(env.get("WSLAB_STICKY_PORT")).isEqualTo(Integer.toString(LAB.stickyPort()));
        assertThat(env.get("WSLAB_ROUNDROBIN_PORT")).isEqualTo(Integer.toString(LAB.roundRobinPort()));
        assertThat(env.get("WSLAB_WEIGHTED_PORT")).isEqualTo(Integer.toString(LAB.weightedPort()));
        assertThat(env.get("WSLAB_AFFINITY_PORT")).isEqualTo(Integer.toString(LAB.affinityPort()));
        assertThat(env.get("WSLAB_RANDOM_PORT")).isEqualTo(Integer.toString(LAB.randomPort()));
        assertThat(env.get("WSLAB_STATS_PORT")).isEqualTo(Integer.toString(LAB.statsPort()));
        for (int i = 1; i <= LabTopology.CONFIGURED_SERVERS; i++) {
            assertThat(env.get("WSLAB_NODE_" + i + "_ADDR")).isEqualTo(LAB.nodeId(i) + ":" + LAB.nodePort(i));
            // Each node's agent answers on its own port, natively and in Docker alike.
            assertThat(env.get("WSLAB_NODE_" + i + "_AGENT_PORT")).isEqualTo(Integer.toString(LAB.agentPort(i)));
        }
    }

    @Test
    void everyMountedFileExistsAndTheConfigsAreTheLaunchers() {
        List<String> mounted = new ArrayList<>();
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String host = volume.asText().split(":")[0];
                if (!host.startsWith("./") || host.equals("./results")) {
                    continue; // a named volume, the engine's socket, or where the runner writes (made on first use)
                }
                assertThat(HOME.resolve(host)).as(volume.asText()).exists();
                mounted.add(HOME.resolve(host).normalize().toString());
            }
        }
        assertThat(mounted).contains(LAB.haproxyConfig().toString(), LAB.prometheusConfig().toString(),
                LAB.prometheusRules().toString());
    }

    @Test
    void theImageRunsTheNodeWithTheLaunchersJvmFlags() throws IOException {
        String entrypoint = Files.readAllLines(HOME.resolve("Dockerfile")).stream()
                .filter(line -> line.startsWith("ENTRYPOINT") && line.contains("wslab-server.jar")).findFirst().orElseThrow();
        StringBuilder expected = new StringBuilder("ENTRYPOINT [\"/opt/wslab/node-entrypoint\", \"java\"");
        LAB.nodeJvmFlags().forEach(flag -> expected.append(", \"").append(flag).append('"'));
        assertThat(entrypoint).startsWith(expected.append(", \"-jar\"").toString());
    }

    @Test
    void prometheusScrapesTheComposeServices() throws IOException {
        String nodes = Files.readString(HOME.resolve("prometheus/targets-compose/nodes.json"));
        for (int i = 1; i <= LAB.nodes(); i++) {
            assertThat(nodes).contains("\"" + LAB.nodeId(i) + ":" + LAB.nodePort(i) + "\"");
        }
        assertThat(Files.readString(HOME.resolve("prometheus/targets-compose/haproxy.json")))
                .contains("\"haproxy:" + LAB.statsPort() + "\"");
    }

    /** The container ports a service publishes ("${WSLAB_PUBLISH_X:-8080}:8080" → 8080). */
    private List<Integer> ports(String service) {
        List<Integer> published = new ArrayList<>();
        for (JsonNode port : services.path(service).path("ports")) {
            String text = port.asText();
            published.add(Integer.parseInt(text.substring(text.lastIndexOf(':') + 1)));
        }
        return published;
    }

    /** The host ports they are published on when no WSLAB_PUBLISH_* variable moves them. */
    private List<Integer> publishedDefaults(String service) {
        List<Integer> published = new ArrayList<>();
        for (JsonNode port : services.path(service).path("ports")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\$\\{WSLAB_PUBLISH_[A-Z]+:-(\\d+)}:\\d+$").matcher(port.asText());
            assertThat(m.matches()).as(port.asText()).isTrue();
            published.add(Integer.parseInt(m.group(1)));
        }
        return published;
    }

    /** The Redis Cluster's services (redis-c1…) and the port each listens on, in order. */
    private Map<String, Integer> clusterNodes() {
        Map<String, Integer> nodes = new java.util.LinkedHashMap<>();
        services.fieldNames().forEachRemaining(name -> {
            if (name.matches("redis-c\\d+")) {
                List<String> command = new ArrayList<>();
                services.at("/" + name + "/command").forEach(word -> command.add(word.asText()));
                nodes.put(name, Integer.parseInt(command.get(command.indexOf("--port") + 1)));
            }
        });
        return nodes;
    }

    /** A value as compose interpolates it: ${NAME-default} (unset only) and ${NAME:-default} (unset or empty). */
    private static String interpolated(String value, Map<String, String> vars) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{(\\w+)(:?)-([^}]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = vars.get(m.group(1));
            boolean useDefault = set == null || (set.isEmpty() && !m.group(2).isEmpty());
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(useDefault ? m.group(3) : set));
        }
        return m.appendTail(out).toString();
    }

    private static Set<String> union(Set<String> stages, String base) {
        Set<String> all = new TreeSet<>(stages);
        all.add(base);
        return all;
    }

    private Map<String, String> env(String service) {
        Map<String, String> env = new HashMap<>();
        services.path(service).path("environment").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
