package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bus bench's arithmetic and verdicts, on numbers; BenchBusSmokeIT runs it on real processes. */
class BusVerdictTest {

    @Test
    void aMessagePriceIsCpuMicrosecondsOverMessagesAndNothingWhenNoneWentThrough() {
        assertThat(BusVerdict.microsPerMessage(2_000_000_000L, 40_000)).isCloseTo(50.0, within(1e-9));
        assertThat(BusVerdict.microsPerMessage(1_000, 0)).isNaN();
    }

    @Test
    void aShareIsOfTheWholeMachineSoOneBusyCoreOfTwoIsHalf() {
        assertThat(BusVerdict.share(5_000_000_000L, 5_000_000_000L, 2)).isCloseTo(0.5, within(1e-9));
        assertThat(BusVerdict.share(1, 0, 2)).isNaN();
    }

    @Test
    void aStepThatKeptUpIsNotSaturated() {
        assertThat(BusVerdict.saturation(10_000, 5.0, 49_990, 49_990, 49_990, 49_990, 0, 0, 12.0, 3.0)).isNull();
    }

    @Test
    void aStepIsSaturatedWhenTheAckedRateFallsShortOfTheOffered() {
        assertThat(BusVerdict.saturation(10_000, 5.0, 50_000, 40_000, 40_000, 50_000, 0, 0, 12.0, 3.0))
                .isEqualTo("80 % of the sent messages acked");
    }

    @Test
    void aGeneratorThatCouldNotSendTheOfferedRateSaturatesTheStepAndSaysSo() {
        assertThat(BusVerdict.saturation(10_000, 5.0, 30_000, 30_000, 30_000, 30_000, 0, 0, 1.0, 1.0))
                .isEqualTo("sent 60 % of the offered messages");
    }

    @Test
    void missingDeliveriesClosedSocketsAndRefusedPublishesEachSaturate() {
        assertThat(BusVerdict.saturation(1_000, 1.0, 1_000, 1_000, 900, 1_000, 0, 0, 1.0, 1.0)).contains("90 % of the owed deliveries");
        assertThat(BusVerdict.saturation(1_000, 1.0, 1_000, 1_000, 1_000, 1_000, 2, 0, 1.0, 1.0)).contains("2 sockets closed");
        assertThat(BusVerdict.saturation(1_000, 1.0, 1_000, 1_000, 1_000, 1_000, 0, 3, 1.0, 1.0)).contains("3 publishes answered with an error");
    }

    @Test
    void theP99ExplodesPastTheCeilingOrTenTimesTheFirstStepsButNotOnSchedulingNoise() {
        assertThat(BusVerdict.p99Exploded(501, null)).isTrue();
        assertThat(BusVerdict.p99Exploded(80, 5.0)).isTrue();
        // Ten times 0.4 ms, but under 50 ms: two shared cores, not a queue.
        assertThat(BusVerdict.p99Exploded(20, 0.4)).isFalse();
        assertThat(BusVerdict.p99Exploded(40, 5.0)).isFalse();
        assertThat(BusVerdict.saturation(1_000, 1.0, 1_000, 1_000, 1_000, 1_000, 0, 0, 80.0, 5.0)).isEqualTo("publish p99 80.0 ms");
    }

    @Test
    void theBottleneckIsARedisAtAFullCoreThenABusyMachineThenTheLargestShare() {
        Map<String, Double> shares = Map.of("Redis", 0.45, "nodes", 0.40, "generator", 0.10);
        assertThat(BusVerdict.bottleneck(0.95, shares, 0.97)).startsWith("Redis (one redis-server at 95 % of a core)");
        assertThat(BusVerdict.bottleneck(0.5, shares, 0.97)).isEqualTo("the machine (97 % busy; largest share: Redis 45 %)");
        assertThat(BusVerdict.bottleneck(0.3, Map.of("Redis", 0.15, "nodes", 0.40, "generator", 0.10), 0.7))
                .isEqualTo("nodes (40 % of the machine; the machine 70 % busy)");
    }

    @Test
    void roomsAreDealtOverTheNodesSoEveryRoomHasOnePublisherAndOneSubscriberOnAnother() {
        int rooms = 7;
        int nodes = 2;
        assertThat(BusLoad.roomsOf(0, nodes, rooms) + BusLoad.roomsOf(1, nodes, rooms)).isEqualTo(rooms);
        assertThat(BusLoad.roomsOf(0, nodes, rooms)).isEqualTo(4);
        assertThat(BusLoad.room(1, nodes, 2)).isEqualTo("bus-5");
        assertThat(BusLoad.roomsOf(3, 4, 2)).isZero();
    }

    @Test
    void theAckIdIsReadWithoutParsingTheJsonAndOtherFramesHaveNone() {
        assertThat(BusLoad.ackId(buffer("{\"type\":\"ack\",\"id\":\"987654321\",\"room\":\"bus-1\",\"seq\":4}"), 0, 56)).isEqualTo(987654321L);
        String message = "{\"type\":\"message\",\"room\":\"bus-1\",\"seq\":4,\"body\":{\"t\":5}}";
        assertThat(BusLoad.ackId(buffer(message), 0, message.length())).isEqualTo(-1);
        String foreign = "{\"type\":\"ack\",\"id\":\"x1\"}";
        assertThat(BusLoad.ackId(buffer(foreign), 0, foreign.length())).isEqualTo(-1);
    }

    @Test
    void theSummaryComparesTheTargetsAtTheHighestRateEveryRepeatOfEveryTargetSustained() {
        ObjectMapper json = new ObjectMapper();
        JsonNode kept = json.createObjectNode().put("offered", 10_000).put("ackedPerSecond", 9_990.0);
        JsonNode higher = json.createObjectNode().put("offered", 20_000).put("ackedPerSecond", 19_990.0);
        JsonNode saturated = json.createObjectNode().put("offered", 20_000).put("ackedPerSecond", 15_000.0).put("saturatedBy", "acks");
        Map<String, Map<Integer, List<JsonNode>>> climbs = Map.of("single Redis", Map.of(1, List.of(kept, higher)),
                "Redis Cluster 3+3", Map.of(1, List.of(kept, saturated)));
        assertThat(BusReport.commonRate(climbs)).isEqualTo(10_000);
        assertThat(BusReport.sustained(List.of(kept, saturated))).isSameAs(kept);
        assertThat(BusReport.sustained(List.of(saturated))).isNull();
    }

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
