package dev.wslab.launcher.docker;

import dev.wslab.launcher.Cluster;
import dev.wslab.launcher.HaproxyMaster;
import dev.wslab.launcher.HaproxyRuntime;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.ManagedProcess;
import dev.wslab.launcher.NodeHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The docker-compose lab as the experiment runner drives it: the services docker-compose.yml starts,
 * found by their compose labels, reached at their addresses on the compose network (from inside the
 * loadtest container or from the host, which routes to that network), killed, stopped and started
 * through the Docker Engine API. HAProxy's runtime API listens on TCP there ({@link #HAPROXY_API_PORT}).
 *
 * <p>Node settings that a configuration changes (the in-memory bus, the rebalancer, shared sessions)
 * reach the nodes through a file on a volume the nodes and the runner share; the node image's
 * entrypoint reads it at each start. Nothing is created here: the user's {@code docker compose up}
 * made the containers, and a restarted container is the same container.
 */
public final class ComposeLab implements Cluster {
    /** docker-compose.yml's WSLAB_HAPROXY_SOCKET: the runtime API on the compose network; its master CLI is on the next port. */
    public static final int HAPROXY_API_PORT = 9999;
    /** Where the node entrypoint looks for settings (docker-compose.yml's node-overrides volume). */
    public static final String OVERRIDES_FILE = "node.env";
    public static final Path OVERRIDES_IN_CONTAINER = Path.of("/etc/wslab/overrides");
    /** Where the loadtest container sees the runner-targets volume (Prometheus reads it as runner/). */
    public static final Path RUNNER_TARGETS_IN_CONTAINER = Path.of("/etc/wslab/runner-targets");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int STOP_GRACE_SECONDS = 10;

    private final LabTopology topology;
    private final DockerApi docker;
    private final ComposeServices services;
    private final Path overridesDir;
    private final Path runnerTargets;
    private final boolean inside;
    private final PrintStream out;
    private final NodeHttp http;

    /**
     * @param overridesDir  where this process sees the node-overrides volume
     * @param runnerTargets where this process sees the runner-targets volume
     * @param inside        whether this process runs in a container on the compose network (else on the Docker host)
     */
    private ComposeLab(LabTopology topology, DockerApi docker, ComposeServices services, Path overridesDir, Path runnerTargets,
                       boolean inside, PrintStream out, NodeHttp http) {
        this.topology = topology;
        this.docker = docker;
        this.services = services;
        this.overridesDir = overridesDir;
        this.runnerTargets = runnerTargets;
        this.inside = inside;
        this.out = out;
        this.http = http;
    }

    /** The compose lab this process runs in (the loadtest service): its project is read off its own container. */
    public static ComposeLab fromInside(Path home, PrintStream out) {
        DockerApi docker = new DockerApi(DockerApi.DEFAULT_SOCKET);
        String self;
        try {
            self = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String project = docker.inspect(self).at("/Config/Labels/com.docker.compose.project").asText();
        if (project.isEmpty()) {
            throw new IllegalStateException("this container (" + self + ") is not part of a compose project");
        }
        return new ComposeLab(LabTopology.defaults(home, LabTopology.CONFIGURED_SERVERS), docker,
                new ComposeServices(docker, project), OVERRIDES_IN_CONTAINER, RUNNER_TARGETS_IN_CONTAINER, true, out, new NodeHttp());
    }

    /** A compose project seen from the Docker host (as root: the overrides volume is a folder of the engine's). */
    public static ComposeLab fromHost(Path home, DockerApi docker, String project, PrintStream out) {
        return new ComposeLab(LabTopology.defaults(home, LabTopology.CONFIGURED_SERVERS), docker,
                new ComposeServices(docker, project), volume(docker, project, "node-overrides"),
                volume(docker, project, "runner-targets"), false, out, new NodeHttp());
    }

    private static Path volume(DockerApi docker, String project, String name) {
        return Path.of(docker.get("/volumes/" + project + "_" + name).expect(200).json().path("Mountpoint").asText());
    }

    @Override
    public Path runnerTargets() {
        return runnerTargets;
    }

    /** Inside: this container's own address. On the host: the compose network's gateway, which is the host. */
    @Override
    public String runnerHost() {
        if (inside) {
            try {
                return InetAddress.getLocalHost().getHostAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return services.gateway("prometheus");
    }

    @Override
    public LabTopology topology() {
        return topology;
    }

    /** The service's address on the compose network, from its running container. */
    @Override
    public String host(String service) {
        return services.address(service);
    }

    /** Waits for what {@code docker compose up} started; starts nothing itself. */
    @Override
    public void up() {
        awaitHealthy("redis");
        for (String node : topology.nodeIds()) {
            awaitNode(node);
        }
        awaitServersUp();
        out.println("compose    project " + services.project() + ": redis, " + String.join(", ", topology.nodeIds())
                + " and haproxy up (HAProxy sees every node)");
    }

    @Override
    public NodeHttp http() {
        return http;
    }

    @Override
    public HaproxyRuntime haproxy() {
        return new HaproxyRuntime(new InetSocketAddress(host("haproxy"), HAPROXY_API_PORT));
    }

    @Override
    public HaproxyMaster haproxyMaster() {
        return new HaproxyMaster(new InetSocketAddress(host("haproxy"), HAPROXY_API_PORT + 1));
    }

    @Override
    public void kill(String nodeId) {
        docker.kill(services.container(nodeId));
        services.forget(nodeId);
        out.println(String.format("%-10s killed (docker kill)", nodeId));
    }

    @Override
    public void start(String nodeId) {
        writeOverrides();
        docker.start(services.container(nodeId));
        services.forget(nodeId);
        awaitNode(nodeId);
        out.println(String.format("%-10s started (docker start)", nodeId));
    }

    @Override
    public void restart(String nodeId) {
        docker.stop(services.container(nodeId), STOP_GRACE_SECONDS);
        start(nodeId);
    }

    @Override
    public void restartRedis() {
        String redis = services.container("redis");
        docker.stop(redis, STOP_GRACE_SECONDS);
        docker.start(redis);
        services.forget("redis");
        awaitHealthy("redis");
        out.println("redis      restarted (docker stop, docker start)");
    }

    @Override
    public ComposeLab withNodeSettings(Map<String, String> settings) {
        return new ComposeLab(topology.withNodeSettings(settings), docker, services, overridesDir, runnerTargets, inside, out, http);
    }

    @Override
    public void restartNodes() {
        for (String node : topology.nodeIds()) {
            restart(node);
        }
        awaitServersUp();
    }

    @Override
    public ComposeLab withNodes(int count) {
        return new ComposeLab(topology.withNodes(count), docker, services, overridesDir, runnerTargets, inside, out, http);
    }

    /** Starts node-(N+1), which docker-compose.yml declares, and takes it out of maintenance in HAProxy. */
    @Override
    public ComposeLab scaleOut() {
        int index = topology.nodes() + 1;
        if (index > LabTopology.CONFIGURED_SERVERS) {
            throw new IllegalStateException("docker-compose.yml declares " + LabTopology.CONFIGURED_SERVERS
                    + " nodes; a fourth needs a service of its own (the native lab adds servers at run time)");
        }
        ComposeLab bigger = withNodes(index);
        String id = topology.nodeId(index);
        bigger.start(id);
        haproxy().setState(id, "ready");
        bigger.awaitServersUp();
        out.println(String.format("%-10s added: HAProxy sends it clients in every backend", id));
        return bigger;
    }

    @Override
    public ComposeLab scaleIn() {
        int index = topology.nodes();
        if (index < 2) {
            throw new IllegalStateException("the lab has one node left; scale-in would stop it");
        }
        String id = topology.nodeId(index);
        haproxy().setState(id, "maint");
        docker.stop(services.container(id), STOP_GRACE_SECONDS);
        out.println(String.format("%-10s removed from every HAProxy backend and stopped", id));
        return withNodes(index - 1);
    }

    @Override
    public Optional<String> cannotIsolate() {
        return Optional.of("it moves a node into a network namespace of the host (ip netns, a veth pair), which only the "
                + "native lab can do; run it with ./lab chaos partition");
    }

    @Override
    public void isolate(String nodeId) {
        throw new UnsupportedOperationException(cannotIsolate().orElseThrow());
    }

    @Override
    public void partition(String nodeId) {
        throw new UnsupportedOperationException(cannotIsolate().orElseThrow());
    }

    @Override
    public void heal(String nodeId) {
        throw new UnsupportedOperationException(cannotIsolate().orElseThrow());
    }

    @Override
    public void rejoin(String nodeId) {
        throw new UnsupportedOperationException(cannotIsolate().orElseThrow());
    }

    /** The configuration's settings, in the shell syntax the node entrypoint sources; none, no file. */
    private void writeOverrides() {
        Path file = overridesDir.resolve(OVERRIDES_FILE);
        try {
            if (topology.nodeSettings().isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder sb = new StringBuilder("# written by the comparison runner: settings of its current configuration\n");
            topology.nodeSettings().forEach((k, v) -> sb.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
            Files.createDirectories(overridesDir);
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("node settings at " + file + ": " + e.getMessage(), e);
        }
    }

    private void awaitNode(String nodeId) {
        int port = topology.nodePort(topology.nodeIndex(nodeId));
        await(nodeId + " healthy", () -> {
            try {
                return http.status(host(nodeId), port, "/health") == 200;
            } catch (IllegalStateException e) {
                return false;
            }
        });
    }

    private void awaitHealthy(String service) {
        await(service + " healthy", () -> services.healthy(service));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " after " + START_TIMEOUT.toSeconds() + " s");
            }
            ManagedProcess.sleep(200);
        }
    }
}
