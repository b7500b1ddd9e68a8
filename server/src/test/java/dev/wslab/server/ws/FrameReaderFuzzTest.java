package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wslab.server.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whatever bytes a client sends, cut into whatever reads, the frame reader throws nothing; once it
 * reports a close or a breach nothing more comes out of it; a text it delivers is within the limit.
 * The first input byte sets the size of the reads.
 */
class FrameReaderFuzzTest {
    private static final int MAX = 1024;

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"\u0081\u0085", "\u0001\u0083", "\u0080\u0081", "\u0088\u0082", "\u0089\u0080", "\u008a\u0080",
            "\u0081\u00fe", "\u0081\u00ff", "\u0082\u0081", "\u0000\u0000\u0000\u0000"})
    void anyBytesInAnyCutsGiveFramesOrOneEndingAndNoException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int readSize = 1 + (input[0] & 0x3F);
        List<String> events = new ArrayList<>();
        FrameReader reader = new FrameReader(MAX);
        FrameReader.Frames frames = new FrameReader.Frames() {
            @Override
            public void text(String message) {
                assertThat(message.length()).isLessThanOrEqualTo(MAX);
                events.add("text");
            }

            @Override
            public void binary() {
                events.add("binary");
            }

            @Override
            public void ping(ByteBuffer payload) {
                assertThat(payload.remaining()).isLessThanOrEqualTo(125);
                events.add("ping");
            }

            @Override
            public void pong() {
                events.add("pong");
            }

            @Override
            public void closed(int code, String reason) {
                events.add("end");
            }

            @Override
            public void invalid(int code, String reason, String error) {
                assertThat(code).isIn(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_TEXT, CloseCodes.TOO_BIG);
                events.add("end");
            }
        };
        for (int at = 1; at < input.length; at += readSize) {
            reader.read(ByteBuffer.wrap(input, at, Math.min(readSize, input.length - at)).slice(), frames);
        }
        int end = events.indexOf("end");
        assertThat(end == -1 || end == events.size() - 1).as("nothing after the reading ended: " + events).isTrue();
    }
}
