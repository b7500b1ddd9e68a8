package dev.wslab.loadtest.compare;

import java.util.List;
import java.util.function.Function;

/**
 * One figure the comparison reports per run, and how to read it off a run record. The summary shows
 * each as min / median / max over the repeats.
 */
public record Measure(String key, String label, String unit, Function<RunRecord, Double> read) {

    public static final List<Measure> ALL = List.of(
            new Measure("spread_maxmin", "Connection spread at end, max/min", "ratio", r -> r.scenario("spread.maxOverMin")),
            new Measure("spread_cv", "Connection spread at end, CV", "ratio", r -> r.scenario("spread.cv")),
            new Measure("haproxy_spread", "New sessions per server (HAProxy), max/min", "ratio", RunRecord::haproxySpread),
            new Measure("rooms_whole", "Rooms whose members all sit on one node (at the end)", "%", r -> r.scenario("rooms.wholePercent")),
            new Measure("room_span", "Nodes a member's room spans (mean over members)", "nodes", r -> r.scenario("rooms.nodesPerDelivery")),
            new Measure("hot_room_nodes", "Nodes the largest room spans", "nodes", r -> r.scenario("rooms.hotRoomNodes")),
            new Measure("nodes_per_message", "Nodes that delivered each message (the nodes' fan-outs per publish)", "nodes",
                    r -> perPublish(r, r.serverValue("fanouts"))),
            new Measure("redis_bytes_per_message", "Bytes Redis sent per message published (pub/sub and replies)", "bytes",
                    r -> perPublish(r, r.serverValue("redis_out_bytes"))),
            new Measure("joined_share_5s", "The added node's share of new sessions, its first 5 s (HAProxy)", "%",
                    r -> r.serverValue("joined_share_5s")),
            new Measure("joined_share_all", "The added node's share of new sessions, to the end (HAProxy)", "%",
                    r -> r.serverValue("joined_share_all")),
            new Measure("reconnects", "Reconnects (sockets dropped and opened again)", "count", r -> r.scenario("reconnects")),
            new Measure("cut_first_s", "Fault → first reconnect after it", "s", r -> r.reconnectAfterFault(false)),
            new Measure("cut_last_s", "Fault → last reconnect after it", "s", r -> r.reconnectAfterFault(true)),
            new Measure("old_worker_s", "Fault → the old HAProxy worker's last sign of life (at most the run's end)", "s",
                    r -> r.serverValue("old_worker_s")),
            new Measure("reconnect_same_node", "Reconnects to the same node", "%", r -> r.scenario("reconnectSameNodePercent")),
            new Measure("time_to_balance", "Fault → every node within 10 % of the mean until the end (— = not balanced at the end)", "ms",
                    r -> r.serverValue("time_to_balance_ms")),
            new Measure("worst_maxmin", "Worst connection spread after the fault, max/min (live counts)", "ratio",
                    r -> r.serverValue("worst_maxmin")),
            new Measure("moves", "Clients told to move (rebalancer)", "count", r -> r.scenario("moves")),
            new Measure("reconnect_peak_s", "Reconnects reaching nodes, peak per second", "count", r -> r.scenario("reconnectPeakPerSecond")),
            new Measure("reconnect_peak_100ms", "Reconnects reaching nodes, peak per 100 ms", "count",
                    r -> r.scenario("reconnectPeakPer100ms")),
            new Measure("redis_peak_ops", "Redis commands, peak per second after the fault", "ops/s", r -> r.serverValue("redis_peak_ops")),
            new Measure("redis_peak_over_base", "Redis peak after the fault over its rate in the 5 s before", "ratio",
                    r -> r.serverValue("redis_peak_over_base")),
            new Measure("fault_node_left", "Connections left on the drained node at the end", "count",
                    r -> r.serverValue("fault_node_left")),
            new Measure("reconnect_p50", "Reconnect time p50", "ms", r -> r.scenario("reconnectMillis.p50")),
            new Measure("reconnect_p99", "Reconnect time p99", "ms", r -> r.scenario("reconnectMillis.p99")),
            new Measure("reconnect_max", "Reconnect time max", "ms", r -> r.scenario("reconnectMillis.max")),
            new Measure("resume_p50", "Resume time p50 (drop → joined)", "ms", r -> r.scenario("resumeMillis.p50")),
            new Measure("resume_p99", "Resume time p99", "ms", r -> r.scenario("resumeMillis.p99")),
            new Measure("outage_p50", "Outage p50 (last join, own message or pong back → rejoined)", "ms", r -> r.scenario("outageMillis.p50")),
            new Measure("outage_p99", "Outage p99", "ms", r -> r.scenario("outageMillis.p99")),
            new Measure("outage_max", "Outage max", "ms", r -> r.scenario("outageMillis.max")),
            new Measure("roundtrip_p50", "Publish → own receipt p50", "ms", r -> r.scenario("roundTripMillis.p50")),
            new Measure("roundtrip_p95", "Publish → own receipt p95", "ms", r -> r.scenario("roundTripMillis.p95")),
            new Measure("roundtrip_p99", "Publish → own receipt p99", "ms", r -> r.scenario("roundTripMillis.p99")),
            new Measure("delivery_p50", "Node send → member receipt p50", "ms", r -> r.scenario("deliveryLatencyMillis.p50")),
            new Measure("delivery_p99", "Node send → member receipt p99", "ms", r -> r.scenario("deliveryLatencyMillis.p99")),
            new Measure("broadcast_p50", "Broadcast latency on the nodes p50 (Prometheus)", "ms", r -> r.serverValue("broadcast_p50_ms")),
            new Measure("broadcast_p95", "Broadcast latency on the nodes p95", "ms", r -> r.serverValue("broadcast_p95_ms")),
            new Measure("broadcast_p99", "Broadcast latency on the nodes p99", "ms", r -> r.serverValue("broadcast_p99_ms")),
            new Measure("http_publish_p50", "HTTP publish p50", "ms", r -> r.scenario("httpPublishMillis.p50")),
            new Measure("http_publish_p99", "HTTP publish p99", "ms", r -> r.scenario("httpPublishMillis.p99")),
            new Measure("published", "Messages published", "count", r -> r.scenario("published")),
            new Measure("owed", "Deliveries owed (published × members)", "count", r -> r.scenario("deliveriesOwed")),
            new Measure("lost", "Deliveries lost", "count", r -> r.scenario("messagesLost")),
            new Measure("lost_pct", "Deliveries lost", "%", RunRecord::lostPercent),
            new Measure("duplicates", "Duplicate deliveries", "count", r -> r.scenario("duplicates")),
            new Measure("seq_gaps", "Seq gaps seen by members", "count", r -> r.scenario("seqGaps")),
            new Measure("unknown_sessions", "Requests for a session the node did not hold (nodes' count)", "count",
                    r -> r.serverValue("unknown_sessions")),
            new Measure("unknown_seen", "Unknown-session answers the clients got", "count", r -> r.errorEvents("unknown_session")),
            new Measure("forwarded", "Session requests forwarded to the session's node", "count", r -> r.serverValue("forwarded")),
            new Measure("forward_p50", "Forwarding hop p50 (commands)", "ms", r -> r.serverValue("forward_p50_ms")),
            new Measure("gatling_ko", "Gatling KO requests", "count", r -> (double) r.gatling().ko()),
            new Measure("error_events", "Error events received", "count", RunRecord::errorEvents),
            new Measure("generator_cpu", "Load generator CPU (share of the machine)", "%",
                    r -> percent(r.scenario("generator.machineShare"))),
            new Measure("nodes_cpu", "Nodes' CPU (sum, share of the machine)", "%", r -> r.serverValue("nodes_cpu_pct")));

    /** A run's total over the messages its clients published (the measured phase's), or null. */
    private static Double perPublish(RunRecord r, Double total) {
        Double published = r.scenario("published");
        return total == null || published == null || published == 0 ? null : total / published;
    }

    private static Double percent(Double share) {
        return share == null ? null : share * 100;
    }

    /** Formats a value for the tables: no false precision. */
    public static String format(Double v) {
        if (v == null) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format("%.0f", v);
        }
        return a >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }
}
