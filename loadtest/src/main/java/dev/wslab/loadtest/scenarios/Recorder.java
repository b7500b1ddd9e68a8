package dev.wslab.loadtest.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wslab.loadtest.stats.GeneratorCpu;
import dev.wslab.loadtest.stats.Percentiles;
import dev.wslab.loadtest.stats.RoomPlacement;
import dev.wslab.loadtest.stats.Spread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the clients saw, message by message: which node each connection landed on, which messages
 * were published and which of them reached each member. Gatling times requests; this counts what
 * Gatling cannot: deliveries to other clients, losses, gaps and duplicates in each member's sequence,
 * and where reconnects land.
 *
 * <p>Loss is counted by message key, not by seq, so that it also works when each node numbers its
 * own messages (the configuration without the Redis bus): a member is owed every message published
 * in its room after it first joined, and a delivery is lost if it never arrives. That ledger is
 * {@link Deliveries}; this class keeps the connection side and is the one lock over both.
 */
public final class Recorder {
    private final Deliveries deliveries = new Deliveries();
    private final Map<Long, String> currentNode = new HashMap<>();
    private final Map<Long, Integer> connectionsByUser = new HashMap<>();
    private final List<Long> reconnectMillis = new ArrayList<>();
    /** When each reconnect reached a node: the peak rate is what the other nodes and Redis must absorb. */
    private final List<Long> reconnectTimes = new ArrayList<>();
    private final Map<Long, Long> moveHints = new HashMap<>();
    private final Set<Long> countedReconnects = new HashSet<>();
    private int moves;
    private final List<Long> resumeMillis = new ArrayList<>();
    private final List<Long> outageMillis = new ArrayList<>();
    private int reconnects;
    private int reconnectsSameNode;
    private final List<Long> roundTripMillis = new ArrayList<>();
    private final List<Long> httpPublishMillis = new ArrayList<>();
    private long resumedMessages;
    private long missedMessages;
    private int resumes;
    private final Map<String, Integer> errors = new TreeMap<>();
    private final Map<String, Integer> nodesLanded = new TreeMap<>();
    private Map<String, Integer> spreadAtEnd;
    /** Each user's room: with its node, where each room's members sit. */
    private final Map<Long, String> roomOf = new HashMap<>();
    private RoomPlacement placementAtEnd;

    /**
     * A connection reached its node (the welcome event). {@code sinceDropMillis} is how long the
     * client was without a connection, for a reconnect; negative for the first connection.
     * Resume time ({@link #joined}) runs from the same drop to the answered join.
     */
    public synchronized void connected(long user, String node, long sinceDropMillis) {
        String previous = currentNode.put(user, node);
        connectionsByUser.merge(user, 1, Integer::sum);
        nodesLanded.merge(node, 1, Integer::sum);
        // Once the run is over, clients leave: a rebalancer may move the last ones about, which is
        // the harness's doing, not the experiment's, so it is not counted.
        if (previous != null && spreadAtEnd == null) {
            countedReconnects.add(user);
            reconnects++;
            reconnectTimes.add(System.currentTimeMillis());
            if (previous.equals(node)) {
                reconnectsSameNode++;
            }
            if (sinceDropMillis >= 0) {
                reconnectMillis.add(sinceDropMillis);
            }
        }
    }

    /**
     * The spread of open connections as the run ends: taken once, by the first user to finish,
     * before anyone disconnects.
     */
    public synchronized void endOfRun() {
        if (spreadAtEnd == null) {
            spreadAtEnd = openByNode();
            placementAtEnd = placement();
        }
    }

    /** The rooms' members by node, of the users connected now. */
    private RoomPlacement placement() {
        Map<Long, String> open = new HashMap<>();
        currentNode.forEach((user, node) -> {
            if (connectionsByUser.getOrDefault(user, 0) > 0) {
                open.put(user, node);
            }
        });
        return RoomPlacement.of(roomOf, open);
    }

    private Map<String, Integer> openByNode() {
        Map<String, Integer> open = new TreeMap<>();
        currentNode.forEach((user, node) -> {
            if (connectionsByUser.getOrDefault(user, 0) > 0) {
                open.merge(node, 1, Integer::sum);
            }
        });
        nodesLanded.keySet().forEach(node -> open.putIfAbsent(node, 0));
        return open;
    }

    /** The node asked this user to move (a {@code move} event): reconnect after {@code retryAfterMs}, cookie dropped. */
    public synchronized void moveHint(long user, long retryAfterMs) {
        if (spreadAtEnd == null) {
            moves++;
        }
        moveHints.put(user, retryAfterMs);
    }

    public synchronized boolean hasMoveHint(long user) {
        return moveHints.containsKey(user);
    }

    /** The move hint the user was given, once; -1 when none. */
    public synchronized long takeMoveHint(long user) {
        Long hint = moveHints.remove(user);
        return hint == null ? -1 : hint;
    }

    /** The most reconnects that reached nodes within any window of {@code windowMillis}. */
    static int peakWithin(List<Long> times, long windowMillis) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int peak = 0;
        for (int from = 0, to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= windowMillis) {
                from++;
            }
            peak = Math.max(peak, to - from + 1);
        }
        return peak;
    }

    public synchronized void disconnected(long user) {
        // The user keeps its last node so that the next connect can tell whether it came back to it;
        // it is no longer counted in the spread of open connections.
        connectionsByUser.merge(user, -1, Integer::sum);
    }

    /** A join answered; {@code resumed}/{@code missed} are present when the client resumed. */
    public synchronized void joined(long user, String room, long seq, long resumed, long missed, long sinceDropMillis) {
        // A resume is counted when the reconnect before it was (see connected): the pair stays whole
        // when the run ends between the two.
        boolean counted = countedReconnects.remove(user);
        if (sinceDropMillis >= 0 && counted) {
            resumeMillis.add(sinceDropMillis);
        }
        deliveries.joined(user, room, seq, resumed, missed);
        roomOf.put(user, room);
        if (resumed >= 0 && counted) {
            resumes++;
            resumedMessages += resumed;
            missedMessages += missed;
        }
    }

    /**
     * A resumed client's outage as it lived it: from its last exchange that worked before the drop (its
     * join, a publish that came back, a pong) to its room rejoined. Unlike the reconnect time it includes how long the drop took to notice
     * (for a partition: HAProxy's health checks).
     */
    public synchronized void outage(long millis) {
        outageMillis.add(millis);
    }

    /** Called just before a publish is sent, so that members who joined earlier are owed it. */
    public synchronized void publishing(String room, String key) {
        deliveries.publishing(room, key);
    }

    /** A publish that failed (socket closed, error event): nobody is owed it. */
    public synchronized void publishFailed(String room, String key) {
        deliveries.publishFailed(room, key);
    }

    /** A room message reached a member. */
    public synchronized void received(long user, String room, String key, long seq, long sentAtMillis, long atMillis) {
        deliveries.received(user, room, key, seq, sentAtMillis, atMillis);
    }

    /** A publish acknowledged with its seq: what a gap event can later be matched against. */
    public synchronized void acked(String key, long seq) {
        deliveries.acked(key, seq);
    }

    /** The node said the room's seqs {@code from} … {@code to} will not reach this member (a gap event). */
    public synchronized void gap(long user, String room, long from, long to) {
        deliveries.gap(user, room, from, to);
    }

    public synchronized long lastSeq(long user, String room) {
        return deliveries.lastSeq(user, room);
    }

    /** A publisher's own message came back: publish → receipt, what Gatling's "own message back" times. */
    public synchronized void roundTrip(long millis) {
        roundTripMillis.add(millis);
    }

    /** A POST to the publish API answered. */
    public synchronized void httpPublish(long millis) {
        httpPublishMillis.add(millis);
    }

    public synchronized void error(String code) {
        errors.merge(code, 1, Integer::sum);
    }

    /** Everything counted, as one JSON-ready map; the runner reads it from wslab.json. */
    public synchronized Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Integer> open = spreadAtEnd == null ? openByNode() : spreadAtEnd;
        s.put("openConnectionsByNode", open);
        s.put("spread", Spread.of(open.values()).toMap());
        s.put("rooms", (placementAtEnd == null ? placement() : placementAtEnd).toMap());
        s.put("connectionsByNode", nodesLanded);
        s.put("reconnects", reconnects);
        s.put("reconnectsSameNode", reconnectsSameNode);
        s.put("reconnectSameNodePercent", reconnects == 0 ? null : 100.0 * reconnectsSameNode / reconnects);
        s.put("reconnectMillis", Percentiles.of(reconnectMillis).toMap());
        s.put("reconnectPeakPerSecond", peakWithin(reconnectTimes, 1000));
        s.put("reconnectPeakPer100ms", peakWithin(reconnectTimes, 100));
        // When each reconnect reached a node (epoch ms): the runner reads off them when a fault cut the sockets.
        s.put("reconnectTimes", List.copyOf(reconnectTimes));
        s.put("moves", moves);
        s.put("resumeMillis", Percentiles.of(resumeMillis).toMap());
        s.put("outageMillis", Percentiles.of(outageMillis).toMap());
        deliveries.putCounts(s);
        s.put("resumes", resumes);
        s.put("resumedMessages", resumedMessages);
        s.put("missedMessages", missedMessages);
        s.put("deliveryLatencyMillis", deliveries.latencyMillis());
        s.put("roundTripMillis", Percentiles.of(roundTripMillis).toMap());
        s.put("httpPublishMillis", Percentiles.of(httpPublishMillis).toMap());
        s.put("errors", errors);
        s.put("anomalies", deliveries.anomalies());
        return s;
    }

    /** Writes the summary, with the load generator's own CPU use over the run, to {@code dir/wslab.json}. */
    /** wslab.json; {@code hardStopped}: the simulation ran into its hard stop, which ends users before they report. */
    public void write(Path dir, GeneratorCpu cpu, boolean hardStopped) {
        Map<String, Object> summary = summary();
        summary.put("generator", cpu.toMap());
        summary.put("hardStopped", hardStopped);
        try {
            Files.createDirectories(dir);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("wslab.json").toFile(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
