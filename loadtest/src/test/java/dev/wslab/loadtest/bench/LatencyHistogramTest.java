package dev.wslab.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreExactToTheBucketAcrossTheScales() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1_000L); // 1 µs … 1 ms
        }
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.percentileMillis(0.5)).isCloseTo(0.5, within(0.002));
        assertThat(h.percentileMillis(0.99)).isCloseTo(0.99, within(0.011));
        h.record(250_000_000L); // 250 ms, in the 1 ms buckets
        assertThat(h.percentileMillis(1.0)).isCloseTo(250.0, within(1.0));
        assertThat(h.summary()).containsKeys("p50", "p99", "p999", "max");
    }

    @Test
    void anEmptyHistogramHasNoPercentiles() {
        assertThat(new LatencyHistogram().percentileMillis(0.5)).isNull();
    }

    @Test
    void theTimestampIsReadFromTheLastTFieldWithoutParsingTheJson() {
        byte[] node = "{\"type\":\"message\",\"room\":\"bench\",\"seq\":7,\"body\":{\"t\":123456789}}".getBytes(StandardCharsets.UTF_8);
        assertThat(Fanout.timestamp(ByteBuffer.wrap(node), 0, node.length)).isEqualTo(123456789L);
        byte[] welcome = "{\"type\":\"welcome\",\"node\":\"node-1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Fanout.timestamp(ByteBuffer.wrap(welcome), 0, welcome.length)).isEqualTo(-1);
    }

    @Test
    void clientFramesAreMaskedWithTheZeroKeyAndCarryTheirLength() {
        byte[] small = LeanClients.maskedTextFrame(new byte[5]);
        assertThat(small[0]).isEqualTo((byte) 0x81);
        assertThat(small[1]).isEqualTo((byte) (0x80 | 5));
        assertThat(small).hasSize(2 + 4 + 5);
        byte[] medium = LeanClients.maskedTextFrame(new byte[300]);
        assertThat(medium[1]).isEqualTo((byte) (0x80 | 126));
        assertThat(((medium[2] & 0xff) << 8) | (medium[3] & 0xff)).isEqualTo(300);
    }

    @Test
    void sourceAddressesSpreadAThousandSocketsPerLoopbackAddress() {
        assertThat(LeanClients.sourceAddress(0).getHostAddress()).isEqualTo("127.1.0.1");
        assertThat(LeanClients.sourceAddress(999).getHostAddress()).isEqualTo("127.1.0.1");
        assertThat(LeanClients.sourceAddress(1000).getHostAddress()).isEqualTo("127.1.0.2");
        assertThat(LeanClients.sourceAddress(300_000).getHostAddress()).isEqualTo("127.1.1.51");
    }
}
