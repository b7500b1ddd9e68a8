package dev.wslab.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
    private final RedisKeys keys = new RedisKeys("wslab");

    private static int slot(String key) {
        return SlotHash.getSlot(key);
    }

    @Test
    void everyKeyAndTheChannelOfARoomHashToOneSlotSoItsScriptsRunOnOneShard() {
        for (String room : List.of("lobby", "a", "team-1.x:y_z", "0123456789012345678901234567890123456789012345678901234567890123")) {
            List<Integer> slots = Stream.of(keys.channel(room), keys.seq(room), keys.counter(room), keys.history(room),
                    keys.members(room)).map(RedisKeysTest::slot).distinct().toList();
            assertThat(slots).as(room).containsExactly(SlotHash.getSlot(room));
        }
    }

    @Test
    void roomsSpreadOverSlotsRatherThanSharingOne() {
        assertThat(Stream.of("lobby", "kitchen", "garden", "attic").map(keys::seq).map(RedisKeysTest::slot).distinct()).hasSize(4);
    }

    @Test
    void theNodeLevelKeysOfEveryNodeShareTheSlotOfThePrefix() {
        List<Integer> slots = Stream.of(keys.nodes(), keys.node("node-1"), keys.nodeRooms("node-1"), keys.node("node-2"),
                keys.nodeRooms("node-2"), keys.nodePrefix() + "node-3").map(RedisKeysTest::slot).distinct().toList();
        assertThat(slots).containsExactly(SlotHash.getSlot("wslab"));
    }

    @Test
    void aChannelNamesItsRoomAndOtherChannelsNameNone() {
        assertThat(keys.roomOfChannel(keys.channel("lobby"))).isEqualTo("lobby");
        assertThat(keys.roomOfChannel("wslab:room:{}")).isNull();
        assertThat(keys.roomOfChannel("other:room:{lobby}")).isNull();
        assertThat(keys.roomOfChannel(new RedisKeys("wslab2").channel("lobby"))).isNull();
    }

    @Test
    void aPrefixWithABraceIsRefusedBecauseItWouldMoveTheHashTags() {
        assertThatThrownBy(() -> new RedisKeys("lab{1}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{");
    }
}
