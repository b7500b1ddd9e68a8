package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wslab.launcher.LabTopology;
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
 * There is no Docker engine on our machines, so docker-compose.yml is held, statically, to the
 * topology the native launcher runs and tests: same services, ports, config files and settings.
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
        expected.addAll(List.of("redis", "haproxy", "prometheus", "grafana"));
        assertThat(names).isEqualTo(expected);
    }

    @Test
    void publishesTheSamePortsAsTheNativeLab() {
        assertThat(ports("redis")).containsExactly(LAB.redisPort());
        for (int i = 1; i <= LAB.nodes(); i++) {
            assertThat(ports(LAB.nodeId(i))).containsExactly(LAB.nodePort(i));
        }
        assertThat(ports("haproxy")).containsExactly(LAB.stickyPort(), LAB.roundRobinPort(), LAB.weightedPort(), LAB.statsPort());
        assertThat(ports("prometheus")).containsExactly(LAB.prometheusPort());
        assertThat(services.at("/redis/command").toString()).contains("\"--port\",\"" + LAB.redisPort() + "\"");
    }

    @Test
    void nodesGetTheLaunchersVariablesAndOnlySettingsTheNodeReads() {
        Set<String> settings = Arrays.stream(Config.SETTINGS).map(Config.Setting::env).collect(Collectors.toSet());
        for (int i = 1; i <= LAB.nodes(); i++) {
            Map<String, String> env = env(LAB.nodeId(i));
            Map<String, String> expected = new HashMap<>(LAB.nodeEnv(i));
            // Inside Docker a node listens on every interface and finds Redis by service name.
            expected.put("WSLAB_HOST", "0.0.0.0");
            expected.put("WSLAB_REDIS_URI", "redis://redis:" + LAB.redisPort());
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
                assertThat(HOME.resolve(host)).as(volume.asText()).exists();
                mounted.add(HOME.resolve(host).normalize().toString());
            }
        }
        assertThat(mounted).contains(LAB.haproxyConfig().toString(), LAB.prometheusConfig().toString(),
                LAB.prometheusRules().toString());
        assertThat(services.at("/node-1/build/dockerfile").asText()).isEqualTo("server/Dockerfile");
        assertThat(HOME.resolve("server/Dockerfile")).exists();
    }

    @Test
    void theImageRunsTheNodeWithTheLaunchersJvmFlags() throws IOException {
        String entrypoint = Files.readAllLines(HOME.resolve("server/Dockerfile")).stream()
                .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        StringBuilder expected = new StringBuilder("ENTRYPOINT [\"java\"");
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

    private List<Integer> ports(String service) {
        List<Integer> published = new ArrayList<>();
        for (JsonNode port : services.path(service).path("ports")) {
            published.add(Integer.parseInt(port.asText().split(":")[0]));
        }
        return published;
    }

    private Map<String, String> env(String service) {
        Map<String, String> env = new HashMap<>();
        services.path(service).path("environment").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
