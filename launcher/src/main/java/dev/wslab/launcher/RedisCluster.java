package dev.wslab.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster from Debian's redis-server: {@code masters} masters with {@code replicas}
 * replicas each, every node on its own loopback port and cluster bus port, created with
 * {@code redis-cli --cluster create} — the way its documentation sets one up, nothing of ours in
 * between. Slots are spread evenly over the masters.
 */
public final class RedisCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    /** Nodes on free ports, data and logs under {@code dir}. */
    public static RedisCluster start(Path dir, int masters, int replicas) {
        FreePorts.Picker picker = new FreePorts.Picker();
        int count = masters * (1 + replicas);
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(new int[] {picker.find(), picker.find()});
        }
        return start(dir, ports, replicas);
    }

    /** Nodes on the given {port, bus port} pairs, the first of every {@code 1 + replicas} a master. */
    public static RedisCluster start(Path dir, List<int[]> ports, int replicas) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int[] p : ports) {
                Path data = dir.resolve("redis-" + p[0]);
                servers.add(RedisServer.startClusterNode(data, p[0], p[1], data.resolve("redis.log")));
            }
            RedisCluster cluster = new RedisCluster(servers);
            cluster.create(replicas);
            return cluster;
        } catch (RuntimeException e) {
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    private void create(int replicas) {
        create(servers.stream().map(RedisServer::address).toList(), replicas);
    }

    /** Joins the nodes at {@code addresses} (host:port, running, in no cluster yet) into one. */
    static void create(List<String> addresses, int replicas) {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        args.addAll(addresses);
        args.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        redisCli(args.toArray(String[]::new));
        awaitHealthy(addresses, READY_TIMEOUT);
        if (replicas > 0) {
            awaitReplicasOnline(addresses, READY_TIMEOUT);
        }
    }

    /**
     * Until every master's replicas finished their first sync. The cluster serves every slot before
     * that, but a replica that never synced cannot take over: a master killed in those seconds
     * leaves the cluster down.
     */
    static void awaitReplicasOnline(List<String> addresses, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String address : addresses) {
            while (true) {
                String replication = call(address, "INFO", "replication").toString();
                boolean master = replication.contains("role:master");
                int replicas = master ? Integer.parseInt(replication.replaceAll("(?s).*connected_slaves:(\\d+).*", "$1")) : 0;
                long online = replication.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
                boolean linked = master ? replicas > 0 && online == replicas : replication.contains("master_link_status:up");
                if (linked) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication not online after " + timeout + " at " + address + ":\n" + replication);
                }
                ManagedProcess.sleep(100);
            }
        }
    }

    /** Until every running node says the cluster is ok and every slot is served. */
    public void awaitHealthy(Duration timeout) {
        awaitHealthy(servers.stream().filter(RedisServer::isRunning).map(RedisServer::address).toList(), timeout);
    }

    static void awaitHealthy(List<String> addresses, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (String address : addresses) {
                try {
                    last = address + ": " + info(address);
                    ok &= last.contains("cluster_state:ok") && last.contains("cluster_slots_ok:16384");
                } catch (RuntimeException e) {
                    last = address + ": " + e.getMessage();
                    ok = false;
                }
            }
            if (ok) {
                return;
            }
            ManagedProcess.sleep(100);
        }
        throw new IllegalStateException("Redis Cluster not healthy after " + timeout + ": " + last);
    }

    /** CLUSTER INFO of the node at host:port. */
    static String info(String address) {
        return call(address, "CLUSTER", "INFO").toString();
    }

    static Object call(String address, String... command) {
        int colon = address.lastIndexOf(':');
        return Resp.call(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), command);
    }

    /** The seed list a node is given ({@code WSLAB_REDIS_CLUSTER}): every node, host:port. */
    public String seeds() {
        return servers.stream().map(RedisServer::address).collect(Collectors.joining(","));
    }

    public List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    /** The running node that is master of the key's slot now, as the cluster itself says. */
    public RedisServer masterOf(String key) {
        String address = masterAddress(servers.stream().filter(RedisServer::isRunning).map(RedisServer::address).toList(), key);
        return servers.stream().filter(s -> s.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalStateException("master " + address + " is not one of ours"));
    }

    /** host:port of the master of the key's slot, as the first node of {@code addresses} that answers says. */
    static String masterAddress(List<String> addresses, String key) {
        RuntimeException last = new IllegalStateException("no node of the cluster is running");
        for (String address : addresses) {
            try {
                long slot = (Long) call(address, "CLUSTER", "KEYSLOT", key);
                String master = ClusterNodes.of(address).masterOf(slot);
                if (master == null) {
                    throw new IllegalStateException("no master serves slot " + slot);
                }
                return master;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * A running replica of {@code master}, as the master itself says — waiting for it to say so: a
     * master learns of its replicas by gossip, a moment after the cluster serves every slot.
     */
    public RedisServer replicaOf(RedisServer master) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            for (String address : ClusterNodes.of(master.address()).replicasOfMyself()) {
                for (RedisServer server : servers) {
                    if (server.address().equals(address) && server.isRunning()) {
                        return server;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no running replica of " + master.address() + " after " + READY_TIMEOUT);
            }
            ManagedProcess.sleep(100);
        }
    }

    /**
     * Takes a master out of the cluster the way its documentation does: {@code redis-cli --cluster
     * reshard} moves every slot it serves (keys included) to {@code to}, then {@code --cluster
     * del-node} makes the others forget it and shuts it down. Its replica follows the slots.
     */
    public void removeMaster(RedisServer master, RedisServer to) {
        String from = (String) master.command("CLUSTER", "MYID");
        String target = (String) to.command("CLUSTER", "MYID");
        long slots = ClusterNodes.of(master.address()).slotsOfMyself();
        redisCli("--cluster", "reshard", to.address(), "--cluster-from", from, "--cluster-to", target,
                "--cluster-slots", Long.toString(slots), "--cluster-yes");
        redisCli("--cluster", "del-node", to.address(), from);
        master.kill();
        awaitHealthy(READY_TIMEOUT);
    }

    private static void redisCli(String... args) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("redis-cli", "redis-tools").toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.run(Duration.ofSeconds(120), command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", args) + " failed (" + result.exit() + "):\n" + result.output());
        }
    }

    /** One line per shard as the node at {@code address} sees the cluster (ClusterNodes#shards). */
    static List<String> shards(String address) {
        return ClusterNodes.of(address).shards();
    }

    public String host() {
        return HOST;
    }

    @Override
    public void close() {
        servers.forEach(RedisServer::close);
    }
}
