package dev.wslab.server.protocol;

import java.nio.ByteBuffer;

/**
 * RFC 6455 frames as a server writes them: a final text frame, unmasked (only clients mask). With
 * no mask the bytes depend on the payload alone, so a broadcast's frame is made once and the same
 * bytes go to every socket.
 */
public final class WebSocketFrames {
    private static final int FIN_TEXT = 0x81;

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
}
