package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * The read side of {@link LeanClients}, its hot path: reads a readable socket into the one buffer
 * all sockets share, reads the 101 once, then hands each text frame to the handler in place and
 * answers pings. Nothing is allocated per frame; only a frame split across reads is copied aside
 * on its connection. Runs on the selector thread only; the counters are volatile because the
 * thread driving the bench reads them.
 */
final class FrameReader {
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final LeanClients.TextHandler handler;
    private final ConnWriter writer;
    private final ConnEnds ends;
    private volatile long upgraded;
    private volatile long texts;

    FrameReader(LeanClients.TextHandler handler, ConnWriter writer, ConnEnds ends) {
        this.handler = handler;
        this.writer = writer;
        this.ends = ends;
    }

    long upgraded() {
        return upgraded;
    }

    long texts() {
        return texts;
    }

    void read(LeanConn c, SelectionKey key) throws IOException {
        readBuffer.clear();
        if (c.leftover != null) {
            readBuffer.put(c.leftover);
            c.leftover = null;
        }
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            ends.close(c, key, true);
            return;
        }
        readBuffer.flip();
        if (!c.upgraded && !readHandshake(c, key)) {
            return;
        }
        parseFrames(c, key);
    }

    /** True once the 101 has been read (the buffer then starts at the first frame). */
    private boolean readHandshake(LeanConn c, SelectionKey key) throws IOException {
        int end = ClientFrames.afterHeaders(readBuffer);
        if (end < 0) {
            keepLeftover(c);
            return false;
        }
        byte[] status = new byte[Math.min(12, readBuffer.remaining())];
        readBuffer.get(readBuffer.position(), status);
        String line = new String(status, StandardCharsets.US_ASCII);
        if (!line.startsWith("HTTP/1.1 101")) {
            ends.fail(c, new IOException("handshake answered " + line.trim()));
            key.cancel();
            return false;
        }
        readBuffer.position(end);
        c.upgraded = true;
        upgraded++;
        return true;
    }

    private void parseFrames(LeanConn c, SelectionKey key) throws IOException {
        while (readBuffer.remaining() >= 2) {
            int start = readBuffer.position();
            int b0 = readBuffer.get(start) & 0xff;
            int b1 = readBuffer.get(start + 1) & 0x7f;
            int header = 2;
            long length = b1;
            if (b1 == 126) {
                if (readBuffer.remaining() < 4) {
                    break;
                }
                length = readBuffer.getShort(start + 2) & 0xffff;
                header = 4;
            } else if (b1 == 127) {
                if (readBuffer.remaining() < 10) {
                    break;
                }
                length = readBuffer.getLong(start + 2);
                header = 10;
            }
            if (header + length > readBuffer.capacity()) {
                throw new IOException("frame of " + length + " bytes is larger than the read buffer");
            }
            if (readBuffer.remaining() < header + length) {
                break;
            }
            int from = start + header;
            int to = (int) (from + length);
            switch (b0 & 0x0f) {
                case 0x1 -> {
                    texts++;
                    handler.onText(readBuffer, from, to);
                }
                case 0x8 -> {
                    ends.close(c, key, true);
                    return;
                }
                case 0x9 -> {
                    byte[] payload = new byte[to - from];
                    readBuffer.get(from, payload);
                    writer.write(c, ByteBuffer.wrap(ClientFrames.pong(payload)));
                }
                default -> { }
            }
            readBuffer.position(to);
        }
        keepLeftover(c);
    }

    private void keepLeftover(LeanConn c) {
        if (readBuffer.hasRemaining()) {
            c.leftover = new byte[readBuffer.remaining()];
            readBuffer.get(c.leftover);
        }
    }
}
