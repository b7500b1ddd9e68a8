package dev.wslab.server.broker;

import dev.wslab.server.protocol.FrameTemplate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What travels on the bus: a small text header naming the sending node, when it sent (epoch
 * microseconds, for the latency histogram), the message seq (0 for unnumbered events), then the
 * client frame exactly as clients receive it. The header is newline-separated because the frame is
 * compact JSON, which never contains a raw newline.
 *
 * <p>{@code frame} is a read-only view into the received bytes: hand {@code frame.duplicate()} to each
 * socket rather than copying.
 */
public record Envelope(String origin, long sentAtMicros, long seq, ByteBuffer frame) {

    /**
     * The header around the one number not known when it is sent: the seq, which the Redis publish
     * script assigns and splices in (then appends the frame). The format is defined here alone; the
     * script only fills the hole.
     */
    public static FrameTemplate head(String origin, long sentAtMicros) {
        return new FrameTemplate(origin + "\n" + sentAtMicros + "\n", "\n");
    }

    public static byte[] encode(String origin, long sentAtMicros, long seq, byte[] frame) {
        byte[] head = head(origin, sentAtMicros).fill(seq);
        byte[] out = new byte[head.length + frame.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(frame, 0, out, head.length, frame.length);
        return out;
    }

    /** Parses bytes written by {@link #encode} or by the Redis publish script. */
    public static Envelope parse(byte[] bytes) {
        int a = indexOf(bytes, 0);
        int b = indexOf(bytes, a + 1);
        int c = indexOf(bytes, b + 1);
        String origin = new String(bytes, 0, a, StandardCharsets.UTF_8);
        long sentAt = parseLong(bytes, a + 1, b);
        long seq = parseLong(bytes, b + 1, c);
        ByteBuffer frame = ByteBuffer.wrap(bytes, c + 1, bytes.length - c - 1).slice().asReadOnlyBuffer();
        return new Envelope(origin, sentAt, seq, frame);
    }

    public String frameText() {
        return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("not a bus envelope: missing header line");
    }

    private static long parseLong(byte[] bytes, int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("not a bus envelope: empty number");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("not a bus envelope: bad number");
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw new IllegalArgumentException("not a bus envelope: number too large");
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
