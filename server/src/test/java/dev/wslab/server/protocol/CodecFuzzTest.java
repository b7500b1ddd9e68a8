package dev.wslab.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Whatever a client sends, the decoder answers with a command that obeys the protocol's rules or
 * with a typed protocol error — never another exception, which would close the socket uncounted.
 */
class CodecFuzzTest {
    private final Codec codec = new Codec();

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"{\"type\":", "\"join\"", "\"leave\"", "\"publish\"", "\"incr\"", "\"ping\"", "\"room\":",
            "\"since\":", "\"id\":", "\"body\":", "null", "[", "]", "{", "}", "1e999", "-1"})
    void anyFrameDecodesToAValidCommandOrATypedError(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        try {
            ClientCommand command = codec.decode(frame);
            if (command instanceof ClientCommand.Ping) {
                assertThat(command.room()).isNull();
            } else {
                assertThat(command.room()).matches("[A-Za-z0-9_.:-]{1,64}");
            }
            assertThat(command.id() == null || command.id().length() <= 64).isTrue();
            if (command instanceof ClientCommand.Join join && join.since() != null) {
                assertThat(join.since()).isNotNegative();
            }
            if (command instanceof ClientCommand.Publish publish) {
                assertThat(publish.body()).isNotNull();
                assertThat(publish.body().isNull()).isFalse();
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
        }
    }
}
