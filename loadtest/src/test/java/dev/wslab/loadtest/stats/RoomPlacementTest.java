package dev.wslab.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomPlacementTest {
    @Test
    void aRoomIsWholeWhenEveryConnectedMemberSitsOnOneNode() {
        // lobby: 4 members over two nodes; quiet: 2 members on node-3; gone: its member is not connected.
        Map<Integer, String> roomOf = Map.of(1, "lobby", 2, "lobby", 3, "lobby", 4, "lobby", 5, "quiet", 6, "quiet", 7, "gone");
        Map<Integer, String> nodeOf = Map.of(1, "node-1", 2, "node-1", 3, "node-2", 4, "node-1", 5, "node-3", 6, "node-3");
        RoomPlacement p = RoomPlacement.of(roomOf, nodeOf);
        assertThat(p.rooms()).isEqualTo(2);
        assertThat(p.wholePercent()).isEqualTo(50.0);
        assertThat(p.nodesPerRoom()).isEqualTo(1.5);
        // Four members in a room on two nodes, two in a room on one: (4 × 2 + 2 × 1) / 6.
        assertThat(p.nodesPerDelivery()).isEqualTo(10.0 / 6);
        assertThat(p.hotRoom()).isEqualTo("lobby");
        assertThat(p.hotRoomMembers()).isEqualTo(4);
        assertThat(p.hotRoomNodes()).isEqualTo(2);
    }

    @Test
    void noConnectedMemberMeansNoFigures() {
        RoomPlacement p = RoomPlacement.of(Map.of(1, "lobby"), Map.of());
        assertThat(p.rooms()).isZero();
        assertThat(p.wholePercent()).isNull();
        assertThat(p.toMap()).containsEntry("hotRoom", null);
    }
}
