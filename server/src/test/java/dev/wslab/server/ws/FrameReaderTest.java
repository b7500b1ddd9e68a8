package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client-frame reader on its own: RFC 6455 frames however the socket cuts them, and each way
 * a client can break the protocol ending the reading with its close code.
 */
class FrameReaderTest {
    static final int MAX = 100_000;
    static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    final List<String> events = new ArrayList<>();
    final FrameReader.Frames recorder = new FrameReader.Frames() {
        @Override
        public void text(String message) {
            events.add("text:" + message);
        }

        @Override
        public void binary() {
            events.add("binary");
        }

        @Override
        public void ping(ByteBuffer payload) {
            events.add("ping:" + StandardCharsets.UTF_8.decode(payload));
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void closed(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void invalid(int code, String reason, String error) {
            events.add("invalid:" + code + ":" + error);
        }
    };
    final FrameReader reader = new FrameReader(MAX);

    /** A client frame: first byte (FIN, opcode), masked payload. */
    static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(0x80 | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ MASK[i & 3]);
        }
        return out.toByteArray();
    }

    static byte[] text(String s) {
        return frame(0x81, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    boolean feed(byte[] bytes) {
        return reader.read(ByteBuffer.wrap(bytes), recorder);
    }

    /** Feeds {@code bytes} in reads of {@code size} bytes, each from a buffer of its own. */
    void feedInPieces(byte[] bytes, int size) {
        for (int at = 0; at < bytes.length; at += size) {
            ByteBuffer piece = ByteBuffer.allocateDirect(Math.min(size, bytes.length - at));
            piece.put(bytes, at, piece.capacity()).flip();
            reader.read(piece, recorder);
        }
    }

    @Test
    void framesInOneReadAreEachDeliveredInOrder() {
        assertThat(feed(concat(text("one"), frame(0x89, "p".getBytes()), text("two"), frame(0x8A, new byte[0])))).isTrue();
        assertThat(events).containsExactly("text:one", "ping:p", "text:two", "pong");
    }

    @Test
    void framesCutAtAnyByteGiveTheSameMessages() {
        byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] wire = concat(text("héllo"), frame(0x81, big), text("end"));
        for (int size : new int[] {1, 2, 3, 5, 7, 13, 64}) {
            events.clear();
            feedInPieces(wire, size);
            assertThat(events).as("in pieces of " + size).containsExactly("text:héllo", "text:" + "x".repeat(300), "text:end");
        }
    }

    @Test
    void sixteenAndSixtyFourBitLengthsAreRead() {
        String mid = "m".repeat(40_000);
        String large = "L".repeat(70_000);
        feedInPieces(concat(text(mid), text(large)), 16 * 1024);
        assertThat(events).containsExactly("text:" + mid, "text:" + large);
    }

    @Test
    void aFragmentedMessageIsDeliveredWholeWithAControlFrameBetweenItsFragments() {
        feed(concat(frame(0x01, "frag".getBytes()), frame(0x89, new byte[0]), frame(0x00, "men".getBytes()), frame(0x80, "ted".getBytes())));
        assertThat(events).containsExactly("ping:", "text:fragmented");
    }

    @Test
    void aBinaryFrameIsReportedAsBinary() {
        feed(frame(0x82, new byte[] {1, 2, 3}));
        assertThat(events).containsExactly("binary");
    }

    @Test
    void aCloseFrameGivesItsCodeAndReasonAndEndsTheReading() {
        byte[] payload = concat(new byte[] {0x03, (byte) 0xE8}, "bye".getBytes());
        assertThat(feed(concat(frame(0x88, payload), text("after")))).isFalse();
        assertThat(events).containsExactly("close:1000:bye");
    }

    @Test
    void aCloseFrameWithoutACodeGives1005() {
        feed(frame(0x88, new byte[0]));
        assertThat(events).containsExactly("close:1005:");
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() {
        byte[] unmasked = {(byte) 0x81, 0x02, 'h', 'i'};
        assertThat(feed(unmasked)).isFalse();
        assertThat(events).containsExactly("invalid:1002:bad_frame");
    }

    @Test
    void eachOtherBreachOfTheProtocolEndsTheReadingWith1002() {
        byte[][] breaches = {
            frame(0xC1, "x".getBytes()),                                   // RSV1 without an extension
            frame(0x83, "x".getBytes()),                                   // a reserved data opcode
            frame(0x8B, new byte[0]),                                      // a reserved control opcode
            frame(0x09, new byte[0]),                                      // a fragmented ping
            frame(0x89, new byte[126]),                                    // a ping over 125 bytes
            frame(0x80, "x".getBytes()),                                   // a continuation with nothing to continue
            concat(frame(0x01, "a".getBytes()), text("b")),                // a new message inside a fragmented one
            frame(0x88, new byte[] {0x03}),                                // a close code of one byte
            frame(0x88, new byte[] {0x03, (byte) 0xED}),                   // close code 1005 on the wire
            concat(new byte[] {(byte) 0x88, (byte) 0xFF}, ByteBuffer.allocate(8).putLong(-1).array(), MASK), // a close of negative length (found by FrameReaderFuzzTest)
        };
        for (byte[] breach : breaches) {
            events.clear();
            FrameReader fresh = new FrameReader(MAX);
            assertThat(fresh.read(ByteBuffer.wrap(concat(breach, text("after"))), recorder)).isFalse();
            assertThat(events).containsExactly("invalid:1002:bad_frame");
        }
    }

    @Test
    void textThatIsNotUtf8Ends1007() {
        feed(frame(0x81, new byte[] {(byte) 0xC3, 0x28}));
        assertThat(events).containsExactly("invalid:1007:bad_frame");
    }

    @Test
    void aMessageOverTheLimitEnds1009WhetherInOneFrameOrInFragments() {
        feed(frame(0x81, new byte[MAX + 1]));
        assertThat(events).containsExactly("invalid:1009:frame_too_large");

        events.clear();
        FrameReader fresh = new FrameReader(MAX);
        fresh.read(ByteBuffer.wrap(concat(frame(0x01, new byte[MAX / 2 + 1]), frame(0x80, new byte[MAX / 2]))), recorder);
        assertThat(events).containsExactly("invalid:1009:frame_too_large");
    }

    @Test
    void aSixtyFourBitLengthWithItsTopBitSetIsRefusedAsTooLarge() {
        byte[] header = concat(new byte[] {(byte) 0x81, (byte) (0x80 | 127)}, ByteBuffer.allocate(8).putLong(Long.MIN_VALUE).array(), MASK);
        feed(header);
        assertThat(events).containsExactly("invalid:1009:frame_too_large");
    }

    @Test
    void aContinuationWhoseSixtyFourBitLengthWouldOverflowTheMessageSoFarIsRefusedAsTooLarge() {
        byte[] huge = concat(new byte[] {0x00, (byte) (0x80 | 127)}, ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array(), MASK);
        feed(concat(frame(0x01, "started".getBytes(StandardCharsets.UTF_8)), huge));
        assertThat(events).containsExactly("invalid:1009:frame_too_large");
    }

    @Test
    void nothingIsReadAfterTheReadingEnded() {
        feed(frame(0x88, new byte[0]));
        assertThat(feed(text("late"))).isFalse();
        assertThat(events).containsExactly("close:1005:");
    }
}
