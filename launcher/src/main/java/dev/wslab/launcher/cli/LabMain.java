package dev.wslab.launcher.cli;

import dev.wslab.launcher.Lab;
import dev.wslab.launcher.LabTopology;
import dev.wslab.launcher.docker.ComposePrep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./lab} command: every subcommand ({@link Subcommand}) is dispatched here; the
 * {@code lab} script only installs prerequisites and builds. Exit codes: 0 done, 1 failed (the
 * message says why), 2 usage.
 */
public final class LabMain {
    private static final String USAGE = Subcommand.usage();

    private LabMain() {}

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        System.exit(run(args));
    }

    static int run(String[] args) {
        Subcommand command = args.length == 0 ? null : Subcommand.named(args[0]).orElse(null);
        if (command == null) {
            System.err.print(USAGE);
            return 2;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        if (command.mainClass().isPresent()) {
            return delegate(command, rest);
        }
        if (command == Subcommand.TEST || command == Subcommand.MUTATION) {
            System.err.println("lab " + command.word() + ": the lab script runs it (with Maven)");
            return 2;
        }
        if (command == Subcommand.COMPOSE_PREP) {
            ComposePrep.main(rest.toArray(String[]::new));
            return 0;
        }
        Path home = Path.of(System.getProperty("wslab.home", ".")).toAbsolutePath().normalize();
        // Without --nodes, a running lab counts its own nodes (a scale-out may have added some).
        int nodes = new Lab(LabTopology.defaults(home, LabTopology.DEFAULT_NODES), System.out).highestStartedNode()
                .orElse(LabTopology.DEFAULT_NODES);
        int at = rest.indexOf("--nodes");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                System.err.print(Subcommand.usage(command));
                return 2;
            }
            nodes = Integer.parseInt(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        Lab lab = new Lab(LabTopology.defaults(home, nodes), System.out);
        int redis = rest.indexOf("--redis");
        if (redis >= 0 && (command != Subcommand.UP || redis + 1 >= rest.size() || !List.of("single", "cluster").contains(rest.get(redis + 1)))) {
            System.err.print(Subcommand.usage(Subcommand.UP));
            return 2;
        }
        try {
            switch (command) {
                case UP -> {
                    if (redis >= 0) {
                        lab.chooseRedis(rest.get(redis + 1).equals("cluster"));
                    }
                    lab.up();
                    printHowToConnect(lab.topology(), lab.redisDescription());
                }
                case DOWN -> lab.down();
                case STATUS -> lab.status().forEach(System.out::println);
                case KILL -> lab.kill(one(rest));
                case RESTART -> lab.restart(one(rest));
                case STOP -> lab.stop(one(rest));
                case START -> lab.start(one(rest));
                case DRAIN -> drain(lab, rest);
                case RELOAD -> {
                    if (!one(rest).equals("haproxy")) {
                        throw new IllegalArgumentException("only haproxy reloads: ./lab reload haproxy");
                    }
                    lab.reloadHaproxy();
                }
                case SCALE_OUT -> lab.scaleOut().status().forEach(System.out::println);
                case SCALE_IN -> lab.scaleIn().status().forEach(System.out::println);
                case UNDRAIN -> lab.undrain(one(rest));
                case ISOLATE -> lab.isolate(one(rest));
                case PARTITION -> lab.partition(one(rest));
                case HEAL -> lab.heal(one(rest));
                case REJOIN -> lab.rejoin(one(rest));
                case LOGS -> System.out.print(Files.readString(lab.logFile(one(rest))));
                case COMPARE, CHAOS, SOAK, BENCH, COMPOSE_PREP, TEST, MUTATION -> throw new IllegalStateException("dispatched above");
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            System.err.println("lab " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Runs a command the load-test module implements, by its class name: that module depends on this
     * one, so this one cannot name its classes at compile time. {@code chaos <kind>} is the comparison
     * runner with a fault experiment.
     */
    private static int delegate(Subcommand command, List<String> rest) {
        if (command == Subcommand.CHAOS) {
            if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                System.err.print(Subcommand.usage(Subcommand.CHAOS));
                return 2;
            }
            rest.add(0, "--chaos");
        }
        String name = command.mainClass().orElseThrow();
        try {
            Class.forName(name).getMethod("main", String[].class).invoke(null, (Object) rest.toArray(String[]::new));
            return 0;
        } catch (ClassNotFoundException e) {
            System.err.println("lab " + command.word() + ": " + name + " is not on the class path (build with mvn install; the lab script does)");
            return 1;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("lab " + command.word() + ": " + cause);
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

    private static void printHowToConnect(LabTopology t, String redis) {
        System.out.println();
        System.out.println("The lab is up. Nodes: " + t.nodeIds() + ", " + redis);
        System.out.println("  sticky     ws://" + t.host() + ":" + t.stickyPort() + "/ws  (leastconn + cookie)");
        System.out.println("  roundrobin ws://" + t.host() + ":" + t.roundRobinPort() + "/ws  (no cookie)");
        System.out.println("  weighted   ws://" + t.host() + ":" + t.weightedPort() + "/ws  (leastconn + cookie, weights from the nodes' agents)");
        System.out.println("  affinity   ws://" + t.host() + ":" + t.affinityPort() + "/ws?room=lobby  (a room's members on one node: consistent hash of the room)");
        System.out.println("  random     ws://" + t.host() + ":" + t.randomPort() + "/ws  (power of two choices: random(2))");
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
