package dev.wslab.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever arrives on the bus channel (another program may publish there), the parser gives an
 * envelope whose numbers are real (never negative, never wrapped past Long.MAX_VALUE) and which encodes
 * back to the same envelope, or refuses it with an IllegalArgumentException, which the bus counts and
 * drops; nothing else may escape to the bus thread.
 */
class EnvelopeFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @DictionaryEntries({"\\x0A", "node-1\\x0A", "9223372036854775807", "9223372036854775808", "0\\x0A", "{\"type\":\"message\"}"})
    void anyBytesParseToAnEnvelopeThatEncodesBackToItselfOrAreRefused(byte[] input) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(input);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("not a bus envelope");
            return;
        }
        assertThat(envelope.sentAtMicros()).isNotNegative();
        assertThat(envelope.seq()).isNotNegative();
        assertThat(envelope.origin()).doesNotContain("\n");
        byte[] frame = new byte[envelope.frame().remaining()];
        envelope.frame().duplicate().get(frame);
        Envelope again = Envelope.parse(Envelope.encode(envelope.origin(), envelope.sentAtMicros(), envelope.seq(), frame));
        assertThat(again.origin()).isEqualTo(envelope.origin());
        assertThat(again.sentAtMicros()).isEqualTo(envelope.sentAtMicros());
        assertThat(again.seq()).isEqualTo(envelope.seq());
        assertThat(again.frame()).isEqualTo(envelope.frame());
    }
}
