package dev.wslab.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.2: FIN + text opcode, no mask bit, and the payload length in 7, 7+16 or 7+64 bits. */
class WebSocketFramesTest {
    static ByteBuffer payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return ByteBuffer.wrap(bytes);
    }

    static void assertFrame(int length, int headerLength, int lengthByte) {
        ByteBuffer payload = payload(length);
        ByteBuffer frame = WebSocketFrames.text(payload);
        assertThat(frame.remaining()).isEqualTo(headerLength + length);
        assertThat(frame.get(0) & 0xFF).as("FIN, text").isEqualTo(0x81);
        assertThat(frame.get(1) & 0xFF).as("no mask, length field").isEqualTo(lengthByte);
        if (headerLength == 4) {
            assertThat(frame.getShort(2) & 0xFFFF).isEqualTo(length);
        } else if (headerLength == 10) {
            assertThat(frame.getLong(2)).isEqualTo(length);
        }
        assertThat(frame.slice(headerLength, length)).isEqualTo(payload(length));
        assertThat(payload.remaining()).as("the payload is not consumed").isEqualTo(length);
        assertThat(frame.isReadOnly()).isTrue();
    }

    @Test
    void aPayloadUpTo125BytesHasItsLengthInTheSecondByte() {
        assertFrame(0, 2, 0);
        assertFrame(125, 2, 125);
    }

    @Test
    void aPayloadFrom126To65535BytesHasASixteenBitLength() {
        assertFrame(126, 4, 126);
        assertFrame(65_535, 4, 126);
    }

    @Test
    void aLargerPayloadHasASixtyFourBitLength() {
        assertFrame(65_536, 10, 127);
    }

    @Test
    void aCloseFrameCarriesItsCodeAndAReasonCutToFitBetweenCharacters() {
        ByteBuffer frame = WebSocketFrames.close(1008, "é".repeat(100));
        assertThat(frame.get(0) & 0xFF).as("FIN, close").isEqualTo(0x88);
        int length = frame.get(1) & 0xFF;
        assertThat(length).as("2 + 122 bytes: 61 two-byte characters, not half of one more").isEqualTo(124);
        assertThat(frame.getShort(2) & 0xFFFF).isEqualTo(1008);
        byte[] reason = new byte[length - 2];
        frame.get(4, reason);
        assertThat(new String(reason, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
    }

    @Test
    void controlFramesAreWholeAndUnmasked() {
        assertThat(WebSocketFrames.ping()).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0x89, 0}));
        assertThat(WebSocketFrames.closeWithoutCode()).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0x88, 0}));
        assertThat(WebSocketFrames.pong(ByteBuffer.wrap(new byte[] {7, 8}))).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0x8A, 2, 7, 8}));
    }
}
