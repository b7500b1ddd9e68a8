package dev.wslab.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster as one of its nodes describes it ({@code CLUSTER NODES}: one line per node — id,
 * address, flags, its master's id, …, then the slot ranges a master serves): who is master of a
 * slot, whose replica a node is, how many slots a master has, and the status lines of each shard.
 */
final class ClusterNodes {
    private final List<String[]> nodes = new ArrayList<>();

    private ClusterNodes(String clusterNodesReply) {
        for (String line : clusterNodesReply.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(line.trim().split(" "));
            }
        }
    }

    /** As the node at host:port sees the cluster. */
    static ClusterNodes of(String address) {
        return new ClusterNodes(RedisCluster.call(address, "CLUSTER", "NODES").toString());
    }

    /** host:port of the master that serves the slot and is not marked failed, or null. */
    String masterOf(long slot) {
        for (String[] f : nodes) {
            if (f.length > 8 && f[2].contains("master") && !f[2].contains("fail") && serves(f, slot)) {
                return bare(f[1]);
            }
        }
        return null;
    }

    /** host:port of every node that says its master is the answering node. */
    List<String> replicasOfMyself() {
        String id = myself()[0];
        return nodes.stream().filter(f -> f.length > 3 && f[3].equals(id)).map(f -> bare(f[1])).toList();
    }

    /** How many slots the answering node serves. */
    long slotsOfMyself() {
        String[] f = myself();
        long count = 0;
        for (int i = 8; i < f.length; i++) {
            if (!f[i].startsWith("[")) {
                int dash = f[i].indexOf('-');
                count += dash < 0 ? 1 : Long.parseLong(f[i].substring(dash + 1)) - Long.parseLong(f[i].substring(0, dash)) + 1;
            }
        }
        return count;
    }

    private String[] myself() {
        return nodes.stream().filter(f -> f.length > 2 && f[2].contains("myself")).findFirst()
                .orElseThrow(() -> new IllegalStateException("CLUSTER NODES without the answering node"));
    }

    /** One line per shard: its master, the slots it serves, its replicas; a failed node is marked so. */
    List<String> shards() {
        List<String> lines = new ArrayList<>();
        for (String[] master : nodes) {
            if (!master[2].contains("master") || master.length <= 8) {
                continue;
            }
            String replicas = nodes.stream().filter(n -> n[3].equals(master[0]))
                    .map(n -> bare(n[1]) + (n[2].contains("fail") ? " (failed)" : "")).collect(Collectors.joining(" "));
            lines.add("master " + bare(master[1]) + (master[2].contains("fail") ? " (failed)" : "") + " slots "
                    + String.join(" ", List.of(master).subList(8, master.length)) + " replicas " + (replicas.isEmpty() ? "none" : replicas));
        }
        return lines;
    }

    private static boolean serves(String[] nodeLine, long slot) {
        for (int i = 8; i < nodeLine.length; i++) {
            String range = nodeLine[i];
            if (range.startsWith("[")) {
                continue; // a slot being migrated
            }
            int dash = range.indexOf('-');
            long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
            long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /** host:port of a CLUSTER NODES address (host:port@busport[,hostname]). */
    private static String bare(String address) {
        int at = address.indexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }
}
