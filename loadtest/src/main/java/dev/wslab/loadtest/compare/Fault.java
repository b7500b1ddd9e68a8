package dev.wslab.loadtest.compare;

import dev.wslab.launcher.Cluster;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the runner does to the lab a third of the way into a run's measured phase, through the
 * launcher's own code (native processes or compose containers alike), while the clients keep publishing. Each fault also heals (the node comes
 * back, the drain ends) so the next run starts from a whole cluster.
 *
 * @param prepare done before the load starts (the partition moves its node into a namespace)
 * @param restore done after the run, even a failed one, to give the next run the usual lab
 * @param unsupportedBy why a cluster cannot inject it (a network namespace only the native lab can make, a
 *     master failover only a Redis Cluster can take), or empty where it can
 * @param node the node left drained or isolated for the run (its leftover connections are reported), or null
 * @param target the node the fault acts on, as the runner's annotations name it; "" for the whole cluster
 */
public record Fault(String name, String description, String node, Consumer<Cluster> prepare, Consumer<Cluster> inject,
                    Consumer<Cluster> restore, Function<Cluster, Optional<String>> unsupportedBy, String target) {

    /** A fault that heals within its own injection (the node comes back, the drain ends). */
    private Fault(String name, String target, String description, Consumer<Cluster> inject) {
        this(name, description, null, lab -> { }, inject, lab -> { }, lab -> Optional.empty(), target);
    }

    /**
     * Scale-out under load: the run starts one node short (the last one taken out of HAProxy and
     * stopped), and the node is added back a third of the way in ({@code ./lab scale-out}'s code).
     */
    public static Fault scaleOut() {
        return new Fault("scaleout", "one node added to a running cluster (./lab scale-out)", null,
                Cluster::scaleIn,
                lab -> lab.withNodes(lab.topology().nodes() - 1).scaleOut(),
                lab -> { }, lab -> Optional.empty(), "");
    }

    /**
     * A drain by one of the node's strategies ({@code /admin/drain} query): the node stays drained
     * for the rest of the run, so what is left on it at the end is what the strategy did not move.
     */
    public static Fault drainBy(String name, String node, String query, String description) {
        return new Fault(name, node + " drained: " + description, node, lab -> { },
                lab -> lab.drain(node, query), lab -> lab.undrain(node), lab -> Optional.empty(), node);
    }

    public static Fault restart(String node) {
        return new Fault("restart", node, node + " restarted (SIGTERM: 1001 to its clients, then started again)",
                lab -> lab.restart(node));
    }

    /** A crash: SIGKILL, the clients see the TCP connection die (1006); the node comes back 3 s later. */
    public static Fault kill(String node) {
        return new Fault("kill", node, node + " killed with SIGKILL, started again 3 s later", lab -> {
            lab.kill(node);
            sleep(Duration.ofSeconds(3));
            lab.start(node);
        });
    }

    /**
     * The node of the busiest room dies: SIGKILL to the node with the most of the room's members
     * (asked of every node when the fault strikes), started again 3 s later. Under affinity the
     * whole room is there, and all of it moves at once.
     */
    public static Fault killRoomNode(String room) {
        return new Fault("room-node-kill", room + "'s node", "the node with most of " + room
                + "'s members killed with SIGKILL, started again 3 s later", lab -> {
                    String node = lab.nodeOfRoom(room);
                    lab.kill(node);
                    sleep(Duration.ofSeconds(3));
                    lab.start(node);
                });
    }

    /**
     * HAProxy reloaded (master-worker: {@code ./lab reload haproxy}'s code): the listening sockets
     * pass to a new worker, the open tunnels stay with the old one until they end or the
     * configuration's {@code hard-stop-after} cuts them.
     */
    public static Fault reloadHaproxy() {
        return new Fault("reload", "haproxy", "HAProxy reloaded (a new worker takes the listeners; the old one keeps its tunnels)",
                Cluster::reloadHaproxy);
    }

    /** HAProxy drain, then the node closes its sockets with 1001 after a 2 s grace; undrained 2 s later. */
    public static Fault drain(String node) {
        return new Fault("drain", node, node + " drained (HAProxy drain, 1001 after 2 s), undrained 2 s later", lab -> {
            lab.drain(node, Duration.ofSeconds(2));
            sleep(Duration.ofSeconds(4));
            lab.undrain(node);
        });
    }

    /** Every node restarted in turn, each once HAProxy sees the previous one up again: a deploy. */
    public static Fault rolling() {
        return new Fault("rolling", "", "every node restarted in turn (a rolling deploy)", lab -> {
            for (String node : lab.topology().nodeIds()) {
                lab.restart(node);
                lab.awaitServersUp();
            }
        });
    }

    /** The shared Redis restarted: every node loses its bus for a moment and resubscribes. */
    public static Fault redisRestart() {
        return new Fault("redis", "redis", "Redis restarted (stopped, then started on its data: AOF)", Cluster::restartRedis);
    }

    /**
     * A Redis Cluster master dies: SIGKILL to the master of the busiest room's slot (room-0, the
     * Zipf head), its replica takes over, the old master comes back as a replica. Publishes to the
     * shard's rooms are refused meanwhile; what the dead master had not replicated comes back as a
     * gap event (docs/PROTOCOL.md). Needs the lab on a Redis Cluster.
     */
    public static Fault redisFailover() {
        return new Fault("redis-failover", "the Redis Cluster master of room-0's slot killed (SIGKILL); its replica takes over, "
                + "it comes back as a replica", null, lab -> { }, lab -> lab.failOverRedis("room-0"), lab -> { },
                Cluster::cannotFailOverRedis, "redis");
    }

    /**
     * A network partition: the node runs in its own network namespace for the run; its veth link
     * goes down for 6 s (HAProxy's checks mark it down and shut its sessions, it loses Redis), then
     * comes back. Needs root and iproute2.
     */
    public static Fault partition(String node) {
        return new Fault("partition", node + " cut off the network (its netns veth link down) for 6 s, then healed", node,
                lab -> lab.isolate(node),
                lab -> {
                    lab.partition(node);
                    sleep(Duration.ofSeconds(6));
                    lab.heal(node);
                },
                lab -> lab.rejoin(node), Cluster::cannotIsolate, node);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
