package dev.wslab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's HAProxy and Prometheus configs, checked by the programs that will read them. */
class ConfigFilesIT {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void haproxyAcceptsItsConfigWithTheLaunchersEnvironment() throws Exception {
        LabTopology topology = LabTopology.onFreePorts(HOME, dir, 3);
        Result check = run(List.of(Binaries.require("haproxy", "haproxy").toString(), "-c", "-f",
                topology.haproxyConfig().toString()), topology.haproxyEnv());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("Configuration file is valid");
    }

    @Test
    void haproxyTakesTheComparisonsVariablesAndRefusesALoadBoundItCannotHave() throws Exception {
        LabTopology topology = LabTopology.onFreePorts(HOME, dir, 3).withHaproxySettings(java.util.Map.of(
                "WSLAB_HASH_BALANCE_FACTOR", "125", "WSLAB_HARD_STOP_AFTER", "5s", "WSLAB_CLOSE_SPREAD_TIME", "5s"));
        String haproxy = Binaries.require("haproxy", "haproxy").toString();
        Result check = run(List.of(haproxy, "-c", "-f", topology.haproxyConfig().toString()), topology.haproxyEnv());
        assertThat(check.exit()).as(check.output()).isZero();
        // The variable reaches the keyword: HAProxy refuses a bound of 1–100 %.
        Result refused = run(List.of(haproxy, "-c", "-f", topology.haproxyConfig().toString()),
                topology.withHaproxySettings(java.util.Map.of("WSLAB_HASH_BALANCE_FACTOR", "50")).haproxyEnv());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("'hash-balance-factor' must be 0 or greater than 100");
    }

    @Test
    void haproxyConfigDeclaresThreePoliciesOverTheSameNodesBehindThePerSourceLimits() throws IOException {
        String cfg = Files.readString(HOME.resolve("haproxy/haproxy.cfg"));
        String sticky = section(cfg, "backend sticky");
        String roundRobin = section(cfg, "backend roundrobin");
        String weighted = section(cfg, "backend weighted");
        assertThat(sticky).contains("balance leastconn").contains("cookie WSLABNODE insert indirect nocache");
        assertThat(roundRobin).contains("balance roundrobin").doesNotContain("cookie");
        assertThat(weighted).contains("balance leastconn").contains("cookie WSLABNODE insert indirect nocache");
        for (int i = 1; i <= LabTopology.CONFIGURED_SERVERS; i++) {
            assertThat(sticky).contains("server node-" + i + " \"${WSLAB_NODE_" + i + "_ADDR}\"");
            assertThat(roundRobin).contains("server node-" + i + " \"${WSLAB_NODE_" + i + "_ADDR}\"");
            assertThat(weighted).contains("server node-" + i + " \"${WSLAB_NODE_" + i + "_ADDR}\" check weight 100 agent-check agent-port \"${WSLAB_NODE_"
                    + i + "_AGENT_PORT}\"");
        }
        String affinity = section(cfg, "backend affinity");
        assertThat(affinity).contains("balance url_param room").contains("hash-type consistent").contains("hash-balance-factor")
                .doesNotContain("cookie");
        assertThat(section(cfg, "backend random")).contains("balance random(2)").doesNotContain("cookie");
        for (int i = 1; i <= LabTopology.CONFIGURED_SERVERS; i++) {
            assertThat(affinity).contains("server node-" + i + " \"${WSLAB_NODE_" + i + "_ADDR}\" check");
            assertThat(section(cfg, "backend random")).contains("server node-" + i + " \"${WSLAB_NODE_" + i + "_ADDR}\" check");
        }
        for (String frontend : HaproxyRuntime.BACKENDS) {
            assertThat(section(cfg, "frontend " + frontend)).contains("set-header X-Wslab-Lb " + frontend)
                    .contains("default_backend " + frontend).contains("deny_status 404 if { path_beg /admin }");
        }
        for (String frontend : List.of("sticky", "roundrobin", "weighted", "affinity", "random", "stats")) {
            assertThat(section(cfg, "frontend " + frontend)).as(frontend)
                    .contains("tcp-request connection track-sc0 src table per_source")
                    .contains("http-request deny deny_status 429");
        }
        assertThat(cfg).contains("on-marked-down shutdown-sessions").contains("timeout tunnel");
    }

    @Test
    void prometheusAcceptsItsConfigAndRules() throws Exception {
        Path promtool = Binaries.require("promtool", "prometheus");
        Result config = run(List.of(promtool.toString(), "check", "config", HOME.resolve("prometheus/prometheus.yml")
                .toString()), Map.of());
        assertThat(config.exit()).as(config.output()).isZero();
        Result rules = run(List.of(promtool.toString(), "check", "rules", HOME.resolve("prometheus/rules/wslab.yml")
                .toString()), Map.of());
        assertThat(rules.exit()).as(rules.output()).isZero();
    }

    private static String section(String cfg, String header) {
        int start = cfg.indexOf("\n" + header + "\n");
        assertThat(start).as(header + " present").isNotNegative();
        int end = cfg.indexOf("\n\n", start + 1);
        return cfg.substring(start, end < 0 ? cfg.length() : end);
    }

    private record Result(int exit, String output) {}

    private Result run(List<String> command, Map<String, String> env) throws Exception {
        Path log = dir.resolve("check.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        return new Result(exit, Files.readString(log));
    }
}
