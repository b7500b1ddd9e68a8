package dev.wslab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.launcher.docker.ComposePrep;
import dev.wslab.launcher.docker.DockerEngine;
import dev.wslab.server.redis.RedisKeys;
import io.lettuce.core.cluster.SlotHash;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker-compose.yml's redis-cluster profile on a real Docker engine, switched on as README says
 * ({@code --env-file docker/redis-cluster.env}): the nodes started first, while no cluster exists,
 * then the six Redis nodes, the one-shot that creates the cluster, and HAProxy. A project of its own
 * beside ComposeIT's, so neither's nodes are recreated under the other's tests; the engine and the
 * images are ComposeIT's (kept, pulled or made with debootstrap), so this adds about a minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeRedisClusterIT {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final String PROJECT = "wslabclusterit";
    private static final List<String> REDIS = List.of("redis-c1", "redis-c2", "redis-c3", "redis-c4", "redis-c5", "redis-c6");

    static DockerEngine engine;
    static ComposeProject compose;
    static final List<TestClient> clients = new ArrayList<>();
    static int roundRobin;

    @BeforeAll
    static void composeUpOnTheCluster() {
        DockerEngine.unavailable().ifPresent(reason -> {
            System.out.println("ComposeRedisClusterIT: skipped — " + reason);
            Assumptions.abort(reason);
        });
        engine = DockerEngine.acquire(HOME.resolve("server/target/compose-cluster-it/dockerd.log"), System.out);
        ComposePrep.prepare(HOME, engine.api(), System.out);
        Map<String, String> publish = ComposeProject.freePublishedPorts();
        roundRobin = Integer.parseInt(publish.get("WSLAB_PUBLISH_ROUNDROBIN"));
        compose = new ComposeProject(HOME, PROJECT, publish);
        compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
        long started = System.nanoTime();
        // The nodes first, on their own: each waits in its entrypoint for a cluster nobody has created yet.
        compose(Duration.ofMinutes(25), "up", "-d", "--build", "node-1", "node-2", "node-3");
        long nodesUp = System.nanoTime();
        // No --build: the first up built wslab-redis for the single Redis the nodes depend on.
        String output = compose(Duration.ofMinutes(10), "up", "-d", "redis-cluster-init", "haproxy");
        System.out.printf("ComposeRedisClusterIT: up of the nodes %d s, then of the cluster, its creation and HAProxy %d s%n%s%n",
                (nodesUp - started) / 1_000_000_000, (System.nanoTime() - nodesUp) / 1_000_000_000, ComposeProject.tail(output, 12));
        System.out.println(ComposeProject.tail(compose(Duration.ofMinutes(1), "logs", "--no-color", "redis-cluster-init"), 8));
    }

    @AfterAll
    static void composeDown() {
        clients.forEach(TestClient::close);
        if (engine == null) {
            return;
        }
        try {
            if (compose != null) {
                compose.result(Duration.ofMinutes(2), "--env-file", envFile(), "down", "-v", "--remove-orphans");
            }
        } finally {
            engine.close();
        }
    }

    @Test
    @Order(1)
    void theClusterIsOkWithSixNodesThreeMastersAndEverySlotServed() {
        for (int i = 0; i < REDIS.size(); i++) {
            String info = redis(REDIS.get(i), 6391 + i, "cluster", "info");
            assertThat(info).as(REDIS.get(i)).contains("cluster_state:ok", "cluster_slots_ok:16384", "cluster_known_nodes:6",
                    "cluster_size:3");
        }
        assertThat(masters()).hasSize(3);
    }

    @Test
    @Order(2)
    void aRedirectNamesTheServiceOtherContainersResolveNotAnIp() {
        for (int i = 0; i < 50; i++) {
            String reply = redis("redis-c1", 6391, "get", "redirect-" + i);
            if (reply.startsWith("MOVED")) {
                assertThat(reply.trim()).matches("MOVED \\d+ redis-c[2-6]:639[2-6]");
                return;
            }
        }
        throw new AssertionError("no key of 50 lay outside redis-c1's slots");
    }

    @Test
    @Order(3)
    void aMessagePublishedOnOneNodeReachesAMemberOnAnotherWithTheSameSeqOnEveryShard() {
        Map<String, String> roomOn = new LinkedHashMap<>();
        Map<String, int[][]> masters = masters();
        for (int i = 0; roomOn.size() < masters.size() && i < 1000; i++) {
            String room = "cluster-" + i;
            int slot = SlotHash.getSlot(new RedisKeys("wslab").channel(room));
            masters.forEach((master, ranges) -> {
                for (int[] range : ranges) {
                    if (slot >= range[0] && slot <= range[1]) {
                        roomOn.putIfAbsent(master, room);
                    }
                }
            });
        }
        assertThat(roomOn).as("a room on each master").hasSize(3);
        TestClient publisher = clientOn("node-1");
        TestClient member = clientOn("node-3");
        for (String room : roomOn.values()) {
            publisher.join(room);
            member.join(room);
            long seq = publisher.publish(room, "across " + room, "m-" + room).get("seq").asLong();
            assertThat(member.awaitMessage(room, "across " + room).get("seq").asLong()).as(room).isEqualTo(seq);
        }
        // The nodes are on the cluster, not on the single Redis that plain `up` uses.
        assertThat(redis("redis", 6390, "dbsize").trim()).isEqualTo("0");
    }

    @Test
    @Order(4)
    void theInitRunAgainFindsTheClusterAndLeavesItAsItIs() {
        // CLUSTER NODES lists the nodes in no fixed order: the masters are compared as a set.
        java.util.Set<String> before = new java.util.TreeSet<>(masters().keySet());
        String output = compose(Duration.ofMinutes(2), "run", "--rm", "redis-cluster-init");
        assertThat(output).contains("the cluster exists already", "cluster ok on all 6 nodes").doesNotContain("Performing hash slots");
        assertThat(new java.util.TreeSet<>(masters().keySet())).isEqualTo(before);
        assertThat(redis("redis-c1", 6391, "cluster", "info")).contains("cluster_known_nodes:6", "cluster_state:ok");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void downRemovesEveryContainerAndVolumeOfTheProject() {
        compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
        String filter = URLEncoder.encode("{\"label\":[\"com.docker.compose.project=" + PROJECT + "\"]}", StandardCharsets.UTF_8);
        assertThat(engine.api().get("/containers/json?all=1&filters=" + filter).json()).isEmpty();
        assertThat(engine.api().get("/volumes?filters=" + filter).json().path("Volumes")).isEmpty();
    }

    /** docker-compose with the profile's env file, as README tells users to run it. */
    private static String compose(Duration timeout, String... args) {
        List<String> all = new ArrayList<>(List.of("--env-file", envFile()));
        all.addAll(List.of(args));
        return compose.run(timeout, all.toArray(String[]::new));
    }

    private static String envFile() {
        return HOME.resolve("docker/redis-cluster.env").toString();
    }

    private static String redis(String service, int port, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-T", service, "redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return compose(Duration.ofSeconds(30), args.toArray(String[]::new));
    }

    /** Each master (by the name it announces) and the slot ranges it serves, as redis-c1 sees them. */
    private static Map<String, int[][]> masters() {
        Map<String, int[][]> masters = new LinkedHashMap<>();
        for (String line : redis("redis-c1", 6391, "cluster", "nodes").split("\n")) {
            // <id> <ip:port@bus,hostname> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
            String[] f = line.trim().split(" ");
            if (f.length > 8 && f[2].contains("master") && !f[2].contains("fail")) {
                List<int[]> ranges = new ArrayList<>();
                for (int i = 8; i < f.length; i++) {
                    String[] ends = f[i].split("-");
                    ranges.add(new int[] {Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1])});
                }
                masters.put(f[1].substring(f[1].indexOf(',') + 1), ranges.toArray(int[][]::new));
            }
        }
        return masters;
    }

    private static TestClient clientOn(String node) {
        for (int i = 0; i < 12; i++) {
            TestClient c = TestClient.connect(HttpClient.newHttpClient(), roundRobin);
            clients.add(c);
            if (c.await("welcome").get("node").asText().equals(node)) {
                return c;
            }
        }
        throw new AssertionError("no client through port " + roundRobin + " landed on " + node);
    }
}
