package dev.wslab.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./lab} command. Exit codes: 0 done, 1 failed (the message says why), 2 usage.
 */
public final class LabMain {
    private static final String USAGE = """
            usage: ./lab <command>
              up [--nodes N]      start Redis, N nodes (default 3), HAProxy and Prometheus; idempotent
              down                stop everything the lab started
              status              what runs, health and connections per node
              kill <node>         SIGKILL one node (a crash)
              stop|start <node>   stop one node cleanly (1001 to its clients), or start it again
              restart <node>      stop and start one node
              drain <node> [ms]   HAProxy stops sending it clients; the node closes its sockets with 1001 after ms (default 5000)
                  [--strategy all|batches|spread|lb-only] [--batch N] [--interval ms] [--window ms]
                                  close all at once (default), N per interval, each at a random moment in the
                                  window, or none (HAProxy drain only: clients leave when they leave)
              undrain <node>      take clients again
              scale-out           add one node to the running lab (started, put into every HAProxy backend)
              scale-in            take the highest-numbered node out of HAProxy, then stop it
              isolate <node>      restart a node in its own network namespace, joined by a veth pair (root, iproute2)
              partition <node>    take an isolated node's link down: packets stop, no FIN, no RST
              heal <node>         bring the link up again
              rejoin <node>       move an isolated node back onto loopback
              logs <node|redis>   print a process's log
              test                run the whole test suite (mvn verify)
            """;

    private LabMain() {}

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.print(USAGE);
            return 2;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        // Without --nodes, a running lab counts its own nodes (a scale-out may have added some).
        int nodes = new Lab(LabTopology.defaults(home, LabTopology.DEFAULT_NODES), System.out).highestStartedNode()
                .orElse(LabTopology.DEFAULT_NODES);
        int at = rest.indexOf("--nodes");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                System.err.print(USAGE);
                return 2;
            }
            nodes = Integer.parseInt(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        Lab lab = new Lab(LabTopology.defaults(home, nodes), System.out);
        try {
            switch (args[0]) {
                case "up" -> {
                    lab.up();
                    printHowToConnect(lab.topology());
                }
                case "down" -> lab.down();
                case "status" -> lab.status().forEach(System.out::println);
                case "kill" -> lab.kill(one(rest));
                case "restart" -> lab.restart(one(rest));
                case "stop" -> lab.stop(one(rest));
                case "start" -> lab.start(one(rest));
                case "drain" -> drain(lab, rest);
                case "scale-out" -> lab.scaleOut().status().forEach(System.out::println);
                case "scale-in" -> lab.scaleIn().status().forEach(System.out::println);
                case "undrain" -> lab.undrain(one(rest));
                case "isolate" -> lab.isolate(one(rest));
                case "partition" -> lab.partition(one(rest));
                case "heal" -> lab.heal(one(rest));
                case "rejoin" -> lab.rejoin(one(rest));
                case "logs" -> System.out.print(Files.readString(lab.logFile(one(rest))));
                default -> {
                    System.err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            System.err.println("lab " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    /** {@code drain <node> [ms] [--strategy s] [--batch N] [--interval ms] [--window ms]}. */
    private static void drain(Lab lab, List<String> rest) {
        if (rest.isEmpty()) {
            one(rest);
        }
        String node = rest.get(0);
        StringBuilder query = new StringBuilder();
        String grace = "5000";
        for (int i = 1; i < rest.size(); i++) {
            String arg = rest.get(i);
            String param = switch (arg) {
                case "--strategy" -> "strategy";
                case "--batch" -> "batchSize";
                case "--interval" -> "intervalMs";
                case "--window" -> "windowMs";
                default -> null;
            };
            if (param == null) {
                grace = arg;
            } else if (i + 1 < rest.size()) {
                query.append('&').append(param).append('=').append(rest.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        lab.drain(node, "graceMs=" + Long.parseLong(grace) + query);
        System.out.println(String.format("%-10s draining (%s): HAProxy sends it no new clients", node,
                query.length() == 0 ? "all at once after " + grace + " ms" : query.substring(1)));
    }

    private static String one(List<String> rest) {
        if (rest.size() != 1) {
            throw new IllegalArgumentException("expected one process name, e.g. node-2");
        }
        return rest.get(0);
    }

    private static void printHowToConnect(LabTopology t) {
        System.out.println();
        System.out.println("The lab is up. Nodes: " + t.nodeIds() + ", Redis " + t.redisUri());
        System.out.println("  sticky     ws://" + t.host() + ":" + t.stickyPort() + "/ws  (leastconn + cookie)");
        System.out.println("  roundrobin ws://" + t.host() + ":" + t.roundRobinPort() + "/ws  (no cookie)");
        System.out.println("  weighted   ws://" + t.host() + ":" + t.weightedPort() + "/ws  (leastconn + cookie, weights from the nodes' agents)");
        System.out.println("  nodes      ws://" + t.host() + ":" + t.nodePort(1) + "/ws  (direct: ports "
                + t.nodePort(1) + "-" + t.nodePort(t.nodes()) + ")");
        System.out.println("  stats      " + t.url(t.statsPort(), "/stats") + "   metrics " + t.url(t.statsPort(), "/metrics"));
        System.out.println("  prometheus " + t.url(t.prometheusPort(), "/classic/graph"));
        System.out.println("  cluster    curl -s " + t.url(t.stickyPort(), "/api/cluster"));
        System.out.println("  try it     curl -s -XPOST http://" + t.host() + ":" + t.stickyPort()
                + "/api/rooms/lobby/messages -d '{\"text\":\"hello\"}'   (then GET /api/rooms/lobby)");
        System.out.println("  logs       " + t.runDir().resolve("logs"));
        System.out.println("  stop       ./lab down");
    }
}
