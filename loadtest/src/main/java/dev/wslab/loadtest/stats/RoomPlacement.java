package dev.wslab.loadtest.stats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where each room's members sit: how many nodes a room spans decides how many nodes take each of
 * its messages off the bus and deliver it, which is what room affinity is for.
 *
 * @param rooms            rooms with at least one member
 * @param wholePercent     rooms whose members all sit on one node, in % of the rooms
 * @param nodesPerRoom     nodes a room spans, averaged over rooms
 * @param nodesPerDelivery nodes a room spans, averaged over members: when every member publishes
 *                         alike, the nodes that deliver an average message
 * @param hotRoom          the room with the most members
 * @param hotRoomMembers   its members
 * @param hotRoomNodes     the nodes it spans
 */
public record RoomPlacement(int rooms, Double wholePercent, Double nodesPerRoom, Double nodesPerDelivery, String hotRoom,
                            int hotRoomMembers, int hotRoomNodes) {

    /** From each member's room and node (members not connected left out by the caller). */
    public static RoomPlacement of(Map<?, String> roomOf, Map<?, String> nodeOf) {
        Map<String, Set<String>> nodes = new TreeMap<>();
        Map<String, Integer> members = new HashMap<>();
        roomOf.forEach((member, room) -> {
            String node = nodeOf.get(member);
            if (node != null) {
                nodes.computeIfAbsent(room, r -> new HashSet<>()).add(node);
                members.merge(room, 1, Integer::sum);
            }
        });
        if (nodes.isEmpty()) {
            return new RoomPlacement(0, null, null, null, null, 0, 0);
        }
        int whole = 0;
        long spanned = 0;
        long weighted = 0;
        long all = 0;
        String hot = null;
        for (Map.Entry<String, Set<String>> e : nodes.entrySet()) {
            int span = e.getValue().size();
            int count = members.get(e.getKey());
            whole += span == 1 ? 1 : 0;
            spanned += span;
            weighted += (long) span * count;
            all += count;
            if (hot == null || count > members.get(hot)) {
                hot = e.getKey();
            }
        }
        return new RoomPlacement(nodes.size(), 100.0 * whole / nodes.size(), (double) spanned / nodes.size(),
                (double) weighted / all, hot, members.get(hot), nodes.get(hot).size());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rooms", rooms);
        m.put("wholePercent", wholePercent);
        m.put("nodesPerRoom", nodesPerRoom);
        m.put("nodesPerDelivery", nodesPerDelivery);
        m.put("hotRoom", hotRoom);
        m.put("hotRoomMembers", hotRoomMembers);
        m.put("hotRoomNodes", hotRoomNodes);
        return m;
    }
}
