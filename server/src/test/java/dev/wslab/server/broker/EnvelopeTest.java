package dev.wslab.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void roundTripsHeaderAndFrameWithoutCopyingTheFrame() {
        byte[] frame = "{\"type\":\"message\",\"body\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        Envelope e = Envelope.parse(Envelope.encode("node-3", 1_700_000_000_123_456L, 42, frame));
        assertThat(e.origin()).isEqualTo("node-3");
        assertThat(e.sentAtMicros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(e.seq()).isEqualTo(42);
        assertThat(e.frameText()).isEqualTo("{\"type\":\"message\",\"body\":\"é\"}");
        assertThat(e.frame().isReadOnly()).isTrue();
    }

    @Test
    void theHeadWithItsSeqFilledInThenTheFrameIsWhatTheRedisScriptPublishes() {
        // publish_numbered.lua: ARGV[1] .. seq .. ARGV[8] .. frame, with the head's prefix and suffix.
        var head = Envelope.head("node-2", 17);
        String published = head.prefix() + 99 + head.suffix() + "{\"seq\":99}";
        Envelope e = Envelope.parse(published.getBytes(StandardCharsets.US_ASCII));
        assertThat(e.origin()).isEqualTo("node-2");
        assertThat(e.sentAtMicros()).isEqualTo(17);
        assertThat(e.seq()).isEqualTo(99);
        assertThat(e.frameText()).isEqualTo("{\"seq\":99}");
        assertThat(Envelope.encode("node-2", 17, 99, "{\"seq\":99}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(published.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesBytesThatAreNotAnEnvelope() {
        assertThatThrownBy(() -> Envelope.parse("garbage".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.parse("n\nx\n1\n{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersUpToLongMaxValueParseAndAnEmptyOrLargerOneIsRefused() {
        Envelope max = Envelope.parse("node-1\n9223372036854775807\n1\n{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(max.sentAtMicros()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Envelope.parse("node-1\n9223372036854775808\n1\n{}".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("not a bus envelope: number too large");
        assertThatThrownBy(() -> Envelope.parse("node-1\n\n1\n{}".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("not a bus envelope: empty number");
    }
}
