package dev.wslab.server.protocol;

import java.nio.ByteBuffer;

/**
 * RFC 6455 frames as a server writes them, unmasked (only clients mask): a final text frame, and the
 * control frames (close, ping, pong). With no mask the bytes depend on the payload alone, so a
 * broadcast's frame is made once and the same bytes go to every socket.
 */
public final class WebSocketFrames {
    private static final int FIN_TEXT = 0x81;
    private static final int CLOSE = 0x88;
    private static final int PING = 0x89;
    private static final int PONG = 0x8A;
    /** A control frame's payload is 125 bytes at most; a close's code takes two of them. */
    private static final int MAX_CLOSE_REASON = 123;

    private WebSocketFrames() {}

    /** The header (2, 4 or 10 bytes, by the payload's length) followed by the payload; read-only. */
    public static ByteBuffer text(ByteBuffer payload) {
        int length = payload.remaining();
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + length);
        frame.put((byte) FIN_TEXT);
        if (length < 126) {
            frame.put((byte) length);
        } else if (length <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
        frame.put(payload.duplicate());
        return frame.flip().asReadOnlyBuffer();
    }

    /** A close frame with {@code code} and as much of {@code reason} as fits, cut between characters. */
    public static ByteBuffer close(int code, String reason) {
        byte[] text = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CLOSE_REASON);
        while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
            length--;
        }
        return control(CLOSE, ByteBuffer.allocate(2 + length).putShort((short) code).put(text, 0, length).flip());
    }

    /** A close frame without a code: the answer to a client's close that had none (1005). */
    public static ByteBuffer closeWithoutCode() {
        return control(CLOSE, ByteBuffer.allocate(0));
    }

    public static ByteBuffer ping() {
        return control(PING, ByteBuffer.allocate(0));
    }

    /** The answer to a ping: its payload (at most 125 bytes) back; {@code payload} is copied. */
    public static ByteBuffer pong(ByteBuffer payload) {
        return control(PONG, payload);
    }

    private static ByteBuffer control(int firstByte, ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(2 + payload.remaining());
        frame.put((byte) firstByte).put((byte) payload.remaining()).put(payload);
        return frame.flip();
    }
}
