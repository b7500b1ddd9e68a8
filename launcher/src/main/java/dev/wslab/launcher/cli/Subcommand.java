package dev.wslab.launcher.cli;

import java.util.Optional;

/**
 * Every {@code ./lab} subcommand, once: its name, its usage, and — for those the load-test module
 * implements (it needs Gatling, and depends on this module, not the other way round) — the class
 * whose {@code main} runs it. The usage text of {@code ./lab}, and of each command's own errors, is
 * made from here and nowhere else.
 */
public enum Subcommand {
    UP("up", "up [--nodes N] [--redis single|cluster]", """
            start Redis, N nodes (default 3), HAProxy and Prometheus; idempotent
                --redis cluster: a Redis Cluster (3 masters, 3 replicas) and the nodes on sharded pub/sub;
                single (the default) one redis-server; the choice holds for later commands until changed"""),
    DOWN("down", "down", "stop everything the lab started"),
    STATUS("status", "status", "what runs, health and connections per node"),
    KILL("kill", "kill <node>", "SIGKILL one node (a crash)"),
    STOP("stop", "stop <node>", "stop one node cleanly (1001 to its clients)"),
    START("start", "start <node>", "start a stopped node again"),
    RESTART("restart", "restart <node>", "stop and start one node"),
    DRAIN("drain", "drain <node> [ms]", """
            HAProxy stops sending it clients; the node closes its sockets with 1001 after ms (default 5000)
                [--strategy all|batches|spread|lb-only] [--batch N] [--interval ms] [--window ms]
                close all at once (default), N per interval, each at a random moment in the window, or
                none (HAProxy drain only: clients leave when they leave)"""),
    UNDRAIN("undrain", "undrain <node>", "take clients again"),
    RELOAD("reload", "reload haproxy", """
            reload HAProxy (master-worker, its master CLI): a new worker takes the listening sockets, the
                old one keeps its open WebSocket tunnels until they end or hard-stop-after cuts them
                (WSLAB_HARD_STOP_AFTER, WSLAB_CLOSE_SPREAD_TIME in the environment of ./lab up)"""),
    SCALE_OUT("scale-out", "scale-out", "add one node to the running lab (started, put into every HAProxy backend)"),
    SCALE_IN("scale-in", "scale-in", "take the highest-numbered node out of HAProxy, then stop it"),
    ISOLATE("isolate", "isolate <node>", "restart a node in its own network namespace, joined by a veth pair (root, iproute2)"),
    PARTITION("partition", "partition <node>", "take an isolated node's link down: packets stop, no FIN, no RST"),
    HEAL("heal", "heal <node>", "bring the link up again"),
    REJOIN("rejoin", "rejoin <node>", "move an isolated node back onto loopback"),
    LOGS("logs", "logs <node|redis>", "print a process's log"),
    COMPARE("compare", """
            compare [--quick] [--experiments rooms,churn,restart,backend,scaleout|drains|transports|policies] [--repeats N]
                    [--configurations sticky,roundrobin,nobus,weighted,rebalance,nojitter,affinity,random,
                                      affinity-f0,affinity-f125,affinity-f200,ws-sticky,sse-roundrobin,poll-roundrobin-shared,…]
                    [--duration SECONDS] [--users N] [--ramp SECONDS] [--rate PER_USER_PER_S] [--rooms N]
                    [--settle SECONDS] [--heartbeat SECONDS] [--seed N] [--results DIR]""", """
            each experiment through each of its configurations, side by side (results/<time>/report.html)
                --rate, --rooms replace every experiment's own: thousands of users need fewer messages each
                          (backend posts users × rate a second; beyond 400 users clients use 127.0.0.2, .3, …)
                --settle  how long users stay after the measured phase for what is in flight (2 s)
                --heartbeat  between publishes a ping this often, so a closed socket is noticed (1 s; 0: none)
                policies  skew, room-node-kill, surge: leastconn, round robin, random(2), room affinity (at
                          hash-balance-factor 150, and 0, 125, 200 in skew: HAProxy restarted for each)
                --quick   30 users, 4 s measured per run, 1 repeat
                default   90 users, 30 s measured per run, 3 repeats
                under docker compose: docker compose run --rm loadtest compare|chaos [the same options]""",
            "dev.wslab.loadtest.compare.CompareMain"),
    CHAOS("chaos", "chaos kill|drain|rolling|redis|redis-failover|partition|all [--repeats N] [--users N] [--seed N] [--results DIR]", """
            a fault a third into 30 s (or more) of steady load, sticky and round-robin, 3 repeats; exit 1
                if any client with the bus lost a message the node did not report (a gap event), or saw a
                gap or a duplicate (partition is native-only: it needs a network namespace of the host;
                redis-failover needs the lab on a Redis Cluster: ./lab up --redis cluster; all leaves
                out what this lab cannot do, and says so)""",
            "dev.wslab.loadtest.compare.CompareMain"),
    SOAK("soak", "soak [--minutes N] [--users N] [--results DIR]", """
            churn (connect, join, leave, disconnect), broadcasts and HTTP sessions made and expired, for
                N minutes (default 30) against the native lab; samples each node's heap after a full GC,
                descriptors and threads, and Redis's memory and keys; fails if any grows past its bound per
                hour after warm-up. The report is DIR/report.html (default results/soak-<time>/)""",
            "dev.wslab.loadtest.soak.SoakMain"),
    BENCH("bench", """
            bench [cost|fanout|capacity|all] [--quick] [--subscribers 100,1000] [--rate N] [--warmup S] [--repeats N]
                  [--profile] [--targets floor,naive,node,nodes2,nodes,haproxy,peer,peers2] [--results DIR]
            bench bus [--quick] [--rooms N] [--rates 1000,2000,…] [--step S] [--warmup S] [--repeats N] [--nodes N]
                  [--targets single,cluster] [--results DIR]
            bench durability [--repeats N] [--publishes N] [--results DIR]""", """
            cost: CPU µs per delivery of each target's processes and of the load generator (from /proc),
                one room of 1,000 subscribers at 40,000 deliveries/s offered, each target started afresh:
                cold (its first 10 s) and warm (after 20 s of warm-up), 3 repeats in alternating order;
                fanout: rising publish rates until each target saturates (100, 1k, 10k subscribers);
                capacity: idle sockets straight to node-1 in steps until something stops it;
                durability: one publish on a Redis Cluster shard (3 masters, 3 replicas on free ports)
                without the failover fence, with it, and with it and WAIT 1: the master's and the
                replica's CPU µs per publish and the round trip (20,000 publishes, 3 repeats)
                --quick    short windows and small steps, for a first look
                --rate     cost: offered deliveries per second (default 40000)
                --warmup   cost: seconds of load before the warm window (default 20)
                --profile  cost: one more window per JVM target under JFR; the summary says where its CPU
                           went and what it allocated, the recordings are kept
                --repeats  repeats, order alternating; the summary gives median and range
                --targets  floor (bare Undertow), naive (floor), node (×1), nodes2 (×2), nodes (×3) on the
                           lab's Redis, haproxy (nodes ×3 via HAProxy), peer, peers2 (Node.js ws +
                           ioredis ×1, ×2 on the lab's Redis)
            bus: the bus between nodes on one Redis and on a Redis Cluster (3 masters + 3 replicas, sharded
                pub/sub), both started by the bench in the same run, order alternating per repeat: 1,000 rooms,
                a publisher on one node and a subscriber on another (2 nodes), 1k … 80k msg/s offered until a
                step saturates (5 s each, after 20 s of warm-up at the first rate); acked msg/s, publish p50/p99,
                deliveries, CPU µs per message of Redis, the nodes and the generator with their shares of the
                machine; 3 repeats (--quick: 200 rooms, 1k/5k/20k, 2 s steps, 1 repeat)""",
            "dev.wslab.loadtest.bench.BenchMain"),
    COMPOSE_PREP("compose-prep", "compose-prep", """
            for docker compose without an image registry: debian:bookworm-slim (pulled, or made with
                debootstrap) and the host's extra CA certificates in the build context"""),
    TEST("test", "test", "run the whole test suite (installs what it needs, then mvn verify)"),
    MUTATION("mutation", "mutation", """
            mutation testing (PIT) of the node's packages with unit tests: protocol, hub, the in-memory
                broker, balance, auth, config; the score per package is in server/target/pit-reports/index.html""");

    private final String word;
    private final String synopsis;
    private final String meaning;
    private final String mainClass;

    Subcommand(String word, String synopsis, String meaning) {
        this(word, synopsis, meaning, null);
    }

    Subcommand(String word, String synopsis, String meaning, String mainClass) {
        this.word = word;
        this.synopsis = synopsis;
        this.meaning = meaning;
        this.mainClass = mainClass;
    }

    public String word() {
        return word;
    }

    /** The load-test class that runs this command, when the launcher does not. */
    Optional<String> mainClass() {
        return Optional.ofNullable(mainClass);
    }

    public static Optional<Subcommand> named(String word) {
        for (Subcommand s : values()) {
            if (s.word.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** {@code usage: ./lab …} for these commands (every one when none is named). */
    public static String usage(Subcommand... commands) {
        Subcommand[] listed = commands.length == 0 ? values() : commands;
        StringBuilder out = new StringBuilder(commands.length == 0 ? "usage: ./lab <command>\n" : "");
        for (Subcommand s : listed) {
            out.append(commands.length == 0 ? "  " : "usage: ./lab ").append(s.synopsis.replace("\n", "\n    ")).append('\n');
            out.append("      ").append(s.meaning.replace("\n", "\n      ")).append('\n');
        }
        return out.toString();
    }
}
