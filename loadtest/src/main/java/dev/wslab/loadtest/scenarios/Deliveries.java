package dev.wslab.loadtest.scenarios;

import dev.wslab.loadtest.stats.Percentiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message ledger behind the {@link Recorder}: what was published in each room, what each member
 * is owed and what reached it, and what each member's sequence looked like on the way (gaps,
 * repeats, duplicates). Kept apart from the connection side (nodes, reconnects, moves) because the
 * two only meet at a join. Not thread-safe: only the Recorder calls it, under its own lock.
 */
final class Deliveries {
    private record Published(String key, long sentAtMillis) {}

    private final Map<String, List<Published>> publishedByRoom = new HashMap<>();
    private final Map<String, Long> firstJoinMillis = new HashMap<>();
    private final Map<String, Set<String>> receivedKeys = new HashMap<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    /** Each publish's seq, from its ack: a message nobody received is matched with the gaps by it. */
    private final Map<String, Long> seqOfKey = new HashMap<>();
    /** Per member, the gaps the node reported (from → to): seqs it said will not come. */
    private final Map<String, java.util.TreeMap<Long, Long>> reportedGaps = new HashMap<>();
    private long gapEvents;
    private long receipts;
    private long duplicates;
    private long seqGaps;
    private long seqRepeats;
    private final List<Long> deliveryLatencyMillis = new ArrayList<>();
    private long publishFailures;
    /** The first few anomalies, verbatim, so that a failed invariant can be chased down. */
    private final List<String> examples = new ArrayList<>();

    private static String member(long user, String room) {
        return user + "/" + room;
    }

    /**
     * A join answered: from the first one on, the member is owed every message published in its
     * room. After a resume that could not reach back far enough ({@code missed > 0}), the sequence
     * continues past the hole: those seqs are reported by the server, not silently skipped.
     */
    void joined(long user, String room, long seq, long resumed, long missed) {
        firstJoinMillis.putIfAbsent(member(user, room), System.currentTimeMillis());
        lastSeq.putIfAbsent(member(user, room), seq);
        if (resumed >= 0 && missed > 0) {
            lastSeq.merge(member(user, room), seq - resumed, Math::max);
        }
    }

    void acked(String key, long seq) {
        if (key != null && seq > 0) {
            seqOfKey.put(key, seq);
        }
    }

    /**
     * A gap event: the node names seqs that will not come (lost by the bus, not in the history). The
     * member's sequence goes on past them, and a message of theirs it does not get is reported, not lost.
     */
    void gap(long user, String room, long from, long to) {
        gapEvents++;
        String member = member(user, room);
        reportedGaps.computeIfAbsent(member, m -> new java.util.TreeMap<>()).put(from, to);
        if (lastSeq.containsKey(member) && lastSeq.get(member) >= from - 1) {
            lastSeq.merge(member, to, Math::max);
        }
    }

    private boolean reported(String member, String key) {
        Long seq = seqOfKey.get(key);
        java.util.TreeMap<Long, Long> gaps = reportedGaps.get(member);
        if (seq == null || gaps == null) {
            return false;
        }
        Map.Entry<Long, Long> gap = gaps.floorEntry(seq);
        return gap != null && gap.getValue() >= seq;
    }

    void publishing(String room, String key) {
        publishedByRoom.computeIfAbsent(room, r -> new ArrayList<>())
                .add(new Published(key, System.currentTimeMillis()));
    }

    void publishFailed(String room, String key) {
        publishFailures++;
        List<Published> list = publishedByRoom.getOrDefault(room, List.of());
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).key().equals(key)) {
                list.remove(i);
                return;
            }
        }
    }

    void received(long user, String room, String key, long seq, long sentAtMillis, long atMillis) {
        receipts++;
        String member = member(user, room);
        if (key != null && !receivedKeys.computeIfAbsent(member, m -> new HashSet<>()).add(key)) {
            duplicates++;
            if (examples.size() < 10) {
                examples.add("duplicate member=" + member + " key=" + key + " seq=" + seq + " last=" + lastSeq.get(member));
            }
        }
        Long last = lastSeq.get(member);
        if (last != null) {
            if (seq > last + 1) {
                seqGaps += seq - last - 1;
                if (examples.size() < 10) {
                    examples.add("gap member=" + member + " seq=" + seq + " last=" + last);
                }
            } else if (seq <= last) {
                seqRepeats++;
            }
        }
        lastSeq.merge(member, seq, Math::max);
        if (sentAtMillis > 0) {
            deliveryLatencyMillis.add(Math.max(0, atMillis - sentAtMillis));
        }
    }

    long lastSeq(long user, String room) {
        return lastSeq.getOrDefault(member(user, room), -1L);
    }

    /** Adds the counts, from {@code published} to {@code seqRepeats}, in the summary's order. */
    void putCounts(Map<String, Object> s) {
        long published = 0;
        long owed = 0;
        long delivered = 0;
        long inReportedGaps = 0;
        for (Map.Entry<String, Long> join : firstJoinMillis.entrySet()) {
            String room = join.getKey().substring(join.getKey().indexOf('/') + 1);
            Set<String> got = receivedKeys.getOrDefault(join.getKey(), Collections.emptySet());
            for (Published p : publishedByRoom.getOrDefault(room, List.of())) {
                if (p.sentAtMillis() >= join.getValue()) {
                    owed++;
                    if (got.contains(p.key())) {
                        delivered++;
                    } else if (reported(join.getKey(), p.key())) {
                        inReportedGaps++;
                    }
                }
            }
        }
        for (List<Published> list : publishedByRoom.values()) {
            published += list.size();
        }
        s.put("published", published);
        s.put("publishFailures", publishFailures);
        s.put("deliveriesOwed", owed);
        s.put("deliveriesReceived", delivered);
        // Owed and never received, though the node said so with a gap event: told, not lost silently.
        s.put("messagesInReportedGaps", inReportedGaps);
        s.put("gapEvents", gapEvents);
        s.put("messagesLost", owed - delivered - inReportedGaps);
        s.put("receipts", receipts);
        s.put("duplicates", duplicates);
        s.put("seqGaps", seqGaps);
        s.put("seqRepeats", seqRepeats);
    }

    Map<String, Object> latencyMillis() {
        return Percentiles.of(deliveryLatencyMillis).toMap();
    }

    List<String> anomalies() {
        return examples;
    }
}
