package dev.wslab.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./lab status}: one line per lab process, asked of the processes themselves (pid files,
 * the nodes' health and load, HAProxy's runtime API) rather than remembered, since every command
 * is a new JVM. Built per call, so a command that prints no status never loads Jackson.
 */
final class LabStatus {
    private static final List<String> LOAD_KEYS = List.of("connections", "weight", "share");

    /** Decimals kept as written: "share":0.330 prints 0.330, not 0.33. */
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private final Cluster lab;
    private final LabTopology topology;
    private final NodePlacement placement;
    private final LabProcesses processes;

    LabStatus(Cluster lab, NodePlacement placement, LabProcesses processes) {
        this.lab = lab;
        this.topology = lab.topology();
        this.placement = placement;
        this.processes = processes;
    }

    /** One line per process: whether it runs, its pid, and for nodes their health and connections. */
    List<String> lines() {
        NodeHttp http = lab.http();
        List<String> lines = new ArrayList<>();
        if (LabRedisCluster.chosen(topology)) {
            lines.addAll(new LabRedisCluster(topology, System.out).status());
        } else {
            lines.add(describe("redis", "redis " + topology.redisUri()));
        }
        for (int i = 1; i <= topology.nodes(); i++) {
            String id = topology.nodeId(i);
            String host = placement.nodeHost(i);
            boolean running = processes.isRunning(id);
            String health = running ? http.get(host, topology.nodePort(i), "/health").orElse("no answer") : "-";
            String load = running ? lab.load(id).map(this::loadSummary).orElse("") : "";
            NodeNamespace namespace = placement.namespace(i);
            lines.add(describe(id, "ws://" + host + ":" + topology.nodePort(i) + "/ws health=" + health + load
                    + (namespace.exists() ? " netns=" + namespace.name() : "")));
        }
        http.get(placement.nodeHost(1), topology.nodePort(1), "/api/cluster").ifPresent(c -> lines.add("cluster " + c));
        lines.add(describe("haproxy", topology.frontendSummary()));
        if (processes.isRunning("haproxy")) {
            HaproxyRuntime runtime = lab.haproxy();
            runtime.serverStates().forEach((server, state) -> lines.add("  " + server + " " + state
                    + (server.startsWith("weighted/") ? " weight=" + runtime.weight("weighted", server.substring(9)) : "")));
        }
        lines.add(describe("prometheus", topology.url(topology.prometheusPort(), "/classic/graph")));
        return lines;
    }

    /**
     * " connections=120 weight=100 share=0.33" from a node's /admin/load answer, each number as the
     * node wrote it. A key that is missing or not an unsigned number is left out, and an answer that
     * is not JSON adds nothing: a status line must print whatever a half-started node says.
     */
    String loadSummary(String load) {
        JsonNode answer;
        try {
            answer = json.readTree(load);
        } catch (JsonProcessingException notJson) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String key : LOAD_KEYS) {
            JsonNode value = answer.get(key);
            if (value != null && value.isNumber() && !value.asText().startsWith("-")) {
                sb.append(' ').append(key).append('=').append(value.asText());
            }
        }
        return sb.toString();
    }

    private String describe(String process, String detail) {
        Optional<ProcessHandle> live = PidFiles.live(topology.pidFile(process));
        return String.format("%-10s %-8s %s", process, live.map(p -> "pid=" + p.pid()).orElse("stopped"), detail);
    }
}
