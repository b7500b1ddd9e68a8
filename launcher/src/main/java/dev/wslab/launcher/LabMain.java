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
              up [--nodes N]      start Redis and N nodes (default 3); idempotent
              down                stop everything the lab started
              status              what runs, health and connections per node
              kill <node>         SIGKILL one node (a crash)
              restart <node>      stop and start one node
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
        int nodes = LabTopology.DEFAULT_NODES;
        int at = rest.indexOf("--nodes");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                System.err.print(USAGE);
                return 2;
            }
            nodes = Integer.parseInt(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
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

    private static String one(List<String> rest) {
        if (rest.size() != 1) {
            throw new IllegalArgumentException("expected one process name, e.g. node-2");
        }
        return rest.get(0);
    }

    private static void printHowToConnect(LabTopology t) {
        System.out.println();
        System.out.println("The lab is up. Nodes: " + t.nodeIds() + ", Redis " + t.redisUri());
        System.out.println("  WebSocket  ws://" + t.host() + ":" + t.nodePort(1) + "/ws  (any node: ports "
                + t.nodePort(1) + "-" + t.nodePort(t.nodes()) + ")");
        System.out.println("  cluster    curl -s http://" + t.host() + ":" + t.nodePort(1) + "/api/cluster");
        System.out.println("  try it     curl -s -XPOST http://" + t.host() + ":" + t.nodePort(2)
                + "/api/rooms/lobby/messages -d '{\"text\":\"hello\"}'   (then GET /api/rooms/lobby)");
        System.out.println("  logs       " + t.runDir().resolve("logs"));
        System.out.println("  stop       ./lab down");
    }
}
