package dev.wslab.loadtest.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.Resp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of what the lab holds: per node, heap after a full GC, descriptors beyond its
 * sockets, threads (from each node's {@code POST /admin/gc}); Redis's used memory and key count.
 * Descriptors are counted net of connections so that the churn's momentary sockets do not look
 * like growth.
 */
final class ResourceSampler {
    static final String HEAP = "heap after full GC (MiB)";
    static final String FILES = "descriptors beyond sockets";
    static final String THREADS = "threads";
    static final String REDIS_MEMORY = "Redis used memory (MiB)";
    static final String REDIS_KEYS = "Redis keys";
    private static final double MIB = 1024 * 1024;

    private final LabTopology topology;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    ResourceSampler(LabTopology topology) {
        this.topology = topology;
    }

    /** Series name → value; node series are named "figure node-N". */
    Map<String, Double> sample() throws IOException, InterruptedException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 1; i <= topology.nodes(); i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + topology.host() + ":"
                    + topology.adminPort(i) + "/admin/gc")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException(topology.nodeId(i) + " answered /admin/gc with " + answer.statusCode());
            }
            JsonNode node = json.readTree(answer.body());
            String id = topology.nodeId(i);
            out.put(HEAP + " " + id, node.path("heapUsedBytes").asDouble() / MIB);
            out.put(FILES + " " + id, node.path("openFiles").asDouble() - node.path("connections").asDouble());
            out.put(THREADS + " " + id, node.path("threads").asDouble());
        }
        String info = (String) Resp.call(topology.host(), topology.redisPort(), "INFO", "memory");
        out.put(REDIS_MEMORY, Double.parseDouble(info.replaceAll("(?s).*\\bused_memory:(\\d+).*", "$1")) / MIB);
        out.put(REDIS_KEYS, ((Number) Resp.call(topology.host(), topology.redisPort(), "DBSIZE")).doubleValue());
        return out;
    }

    /** The bound per hour each figure may grow by after warm-up (its series name without the node). */
    static double boundPerHour(String series) {
        if (series.startsWith(HEAP)) {
            return 32;
        }
        if (series.startsWith(FILES)) {
            return 50;
        }
        if (series.startsWith(THREADS)) {
            return 10;
        }
        return series.equals(REDIS_MEMORY) ? 16 : 200;
    }
}
