package dev.wslab.server;

import dev.wslab.server.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Real nodes in this JVM, on free ports, sharing one Redis under a key prefix of their own, so tests
 * never see each other's rooms.
 */
public final class TestNodes implements AutoCloseable {
    private final Map<String, String> env = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    public TestNodes(String redisUri, Map<String, String> overrides) {
        env.put("WSLAB_PORT", "0");
        env.put("WSLAB_HOST", "127.0.0.1");
        env.put("WSLAB_KEY_PREFIX", "t" + UUID.randomUUID().toString().substring(0, 8));
        env.put("WSLAB_HEARTBEAT_MS", "200");
        env.put("WSLAB_REDIS_TIMEOUT_MS", "1000");
        if (redisUri != null) {
            env.put("WSLAB_REDIS_URI", redisUri);
        }
        env.putAll(overrides);
    }

    public String keyPrefix() {
        return env.get("WSLAB_KEY_PREFIX");
    }

    public Node start(String nodeId) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("WSLAB_NODE_ID", nodeId);
        Node node = Node.start(Config.from(nodeEnv, new Properties()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        nodes.add(node);
        return node;
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
        nodes.clear();
    }
}
