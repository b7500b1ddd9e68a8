package dev.wslab.server.ws;

import dev.wslab.server.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames a client sends (RFC 6455 §5) from whatever the socket gave, in any cut: one
 * frame split over many reads, many frames in one. Client frames must be masked, carry no extension
 * bits (none is negotiated), and control frames must be whole and at most 125 bytes; text must be
 * UTF-8 and a message at most the node's limit. Anything else ends the reading with a close code
 * and reason ({@link Frames#invalid}).
 *
 * <p>Memory: an idle socket's reader holds no buffer. Bytes are kept only while a frame is split
 * across reads, and while a fragmented message is being put together, each bounded by the limit.
 * One thread only (the socket's I/O thread).
 */
final class FrameReader {
    /** Where the frames go, in the order they came. */
    interface Frames {
        void text(String message);

        void binary();

        /** {@code payload} is the read buffer's: copy what is needed before returning. */
        void ping(ByteBuffer payload);

        void pong();

        /** {@code code} is 1005 when the frame carried none. */
        void closed(int code, String reason);

        /** The client broke the protocol: close with {@code code}; count it as {@code error}. */
        void invalid(int code, String reason, String error);
    }

    static final String FRAME_TOO_LARGE = "frame_too_large";
    static final String BAD_FRAME = "bad_frame";

    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    private static final int MAX_HEADER = 14;
    private static final int MAX_CONTROL = 125;

    private final int maxMessageBytes;
    /** A frame cut by the end of a read: its bytes so far (null when none is). */
    private byte[] partial;
    private int partialLength;
    /** A fragmented message being put together (null when none is). */
    private byte[] message;
    private int messageLength;
    private int messageOpcode;
    private boolean done;

    FrameReader(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Reads every whole frame in {@code src} (consumed entirely); false once reading has ended. */
    boolean read(ByteBuffer src, Frames out) {
        if (done) {
            src.position(src.limit());
            return false;
        }
        ByteBuffer in = src;
        if (partial != null) {
            in = joined(src);
            partial = null;
            partialLength = 0;
        }
        while (!done && in.hasRemaining()) {
            int frameLength = frameLength(in, out);
            if (frameLength < 0) {
                break;
            }
            if (in.remaining() < frameLength) {
                keep(in, frameLength);
                return !done;
            }
            int end = in.position() + frameLength;
            frame(in, end, out);
            in.position(end);
        }
        src.position(src.limit());
        return !done;
    }

    /** The kept bytes of a cut frame and what came now, as one buffer. */
    private ByteBuffer joined(ByteBuffer src) {
        int room = partial.length - partialLength;
        int take = Math.min(room, src.remaining());
        src.get(partial, partialLength, take);
        partialLength += take;
        ByteBuffer in = ByteBuffer.wrap(partial, 0, partialLength);
        if (src.hasRemaining()) {
            // The kept buffer was sized for the whole frame once its header was known, or for a
            // header: more bytes than it holds means the header is now complete; start over from it.
            byte[] all = new byte[partialLength + src.remaining()];
            System.arraycopy(partial, 0, all, 0, partialLength);
            src.get(all, partialLength, src.remaining());
            in = ByteBuffer.wrap(all);
        }
        return in;
    }

    /**
     * Keeps the start of a frame cut by the end of a read, in a buffer of {@code capacity}: the whole
     * frame's length once its header is known. A frame that trickles in keeps the one buffer.
     */
    private void keep(ByteBuffer in, int capacity) {
        int length = in.remaining();
        if (in.hasArray() && in.arrayOffset() == 0 && in.position() == 0 && in.array().length >= capacity) {
            partial = in.array();
        } else {
            partial = new byte[Math.max(capacity, length)];
            in.get(partial, 0, length);
        }
        partialLength = length;
        in.position(in.limit());
    }

    /**
     * The whole length of the frame at {@code in}'s position, header included; -1 when the bytes so
     * far do not hold its header (they are kept) or it is refused (reading ends).
     */
    private int frameLength(ByteBuffer in, Frames out) {
        int at = in.position();
        int available = in.remaining();
        if (available < 2) {
            keep(in, MAX_HEADER);
            return -1;
        }
        int b0 = in.get(at) & 0xFF;
        int b1 = in.get(at + 1) & 0xFF;
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            return refuse(out, CloseCodes.PROTOCOL_ERROR, "reserved bits set without an extension");
        }
        if ((b1 & 0x80) == 0) {
            return refuse(out, CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        }
        int length7 = b1 & 0x7F;
        int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int header = 2 + lengthBytes + 4;
        if (available < header) {
            keep(in, MAX_HEADER);
            return -1;
        }
        long payload = length7 == 126 ? in.getShort(at + 2) & 0xFFFF : length7 == 127 ? in.getLong(at + 2) : length7;
        if (opcode >= CLOSE) {
            if (opcode > PONG) {
                return refuse(out, CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
            }
            if (!fin || payload < 0 || payload > MAX_CONTROL) {
                return refuse(out, CloseCodes.PROTOCOL_ERROR, "control frames must be whole and at most 125 bytes");
            }
        } else if (opcode > BINARY) {
            return refuse(out, CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
        } else if (payload < 0 || payload > maxMessageBytes - (opcode == 0 ? messageLength : 0)) {
            // Compared this way round: payload + messageLength overflows for a 64-bit length near
            // Long.MAX_VALUE, passed the check and made a frame shorter than its own header.
            out.invalid(CloseCodes.TOO_BIG, "message over " + maxMessageBytes + " bytes", FRAME_TOO_LARGE);
            done = true;
            return -1;
        }
        return header + (int) payload;
    }

    private int refuse(Frames out, int code, String reason) {
        out.invalid(code, reason, BAD_FRAME);
        done = true;
        return -1;
    }

    /** One whole frame, from {@code in}'s position to {@code end}: unmasked in place, then handed on. */
    private void frame(ByteBuffer in, int end, Frames out) {
        int at = in.position();
        int b0 = in.get(at) & 0xFF;
        int length7 = in.get(at + 1) & 0x7F;
        int maskAt = at + 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
        int start = maskAt + 4;
        for (int i = start; i < end; i++) {
            in.put(i, (byte) (in.get(i) ^ in.get(maskAt + ((i - start) & 3))));
        }
        ByteBuffer payload = in.duplicate().limit(end).position(start);
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0F) {
            case CLOSE -> close(payload, out);
            case PING -> out.ping(payload);
            case PONG -> out.pong();
            case 0 -> continuation(payload, fin, out);
            default -> first(b0 & 0x0F, payload, fin, out);
        }
    }

    private void first(int opcode, ByteBuffer payload, boolean fin, Frames out) {
        if (message != null) {
            refuse(out, CloseCodes.PROTOCOL_ERROR, "a new message began before the last one ended");
        } else if (fin) {
            deliver(opcode, payload, out);
        } else {
            messageOpcode = opcode;
            message = new byte[Math.min(maxMessageBytes, Math.max(256, payload.remaining() * 2))];
            messageLength = 0;
            append(payload);
        }
    }

    private void continuation(ByteBuffer payload, boolean fin, Frames out) {
        if (message == null) {
            refuse(out, CloseCodes.PROTOCOL_ERROR, "a continuation frame without a message to continue");
            return;
        }
        append(payload);
        if (fin) {
            ByteBuffer whole = ByteBuffer.wrap(message, 0, messageLength);
            message = null;
            messageLength = 0;
            deliver(messageOpcode, whole, out);
        }
    }

    private void append(ByteBuffer payload) {
        int needed = messageLength + payload.remaining();
        if (needed > message.length) {
            message = java.util.Arrays.copyOf(message, Math.min(maxMessageBytes, Math.max(needed, message.length * 2)));
        }
        payload.get(message, messageLength, payload.remaining());
        messageLength = needed;
    }

    private void deliver(int opcode, ByteBuffer payload, Frames out) {
        if (opcode == BINARY) {
            out.binary();
            return;
        }
        String text = utf8(payload);
        if (text == null) {
            refuse(out, CloseCodes.INVALID_TEXT, "text is not valid UTF-8");
        } else {
            out.text(text);
        }
    }

    private void close(ByteBuffer payload, Frames out) {
        if (payload.remaining() == 1) {
            refuse(out, CloseCodes.PROTOCOL_ERROR, "a close frame's code takes two bytes");
            return;
        }
        boolean coded = payload.hasRemaining();
        int code = coded ? payload.getShort() & 0xFFFF : CloseCodes.NO_STATUS;
        String reason = utf8(payload);
        if (reason == null || (coded && !sendable(code))) {
            refuse(out, CloseCodes.PROTOCOL_ERROR, "invalid close code or reason");
            return;
        }
        done = true;
        out.closed(code, reason);
    }

    /** The codes an endpoint may put in a close frame (RFC 6455 §7.4). */
    private static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static String utf8(ByteBuffer bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
