package dev.wslab.loadtest.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's half of the WebSocket wire format, as much as the bench needs: the upgrade request,
 * the frames a client sends and the end of the server's 101. Kept apart from {@link LeanClients} so
 * that the selector loop reads as socket handling and this as RFC 6455; pure functions, so they are
 * testable without a socket.
 */
final class ClientFrames {
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ClientFrames() {
    }

    /** One fixed key for every socket: only the 101 status is checked, never the accept header. */
    static byte[] handshake(String host, int port, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: d3NsYWJiZW5jaGtleTAwMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] maskedTextFrame(byte[] payload) {
        int header = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >> (56 - 8 * i));
            }
        }
        // Mask key 0,0,0,0 (already zero): the payload goes as it is.
        System.arraycopy(payload, 0, frame, header + 4, payload.length);
        return frame;
    }

    /** The answer to a ping: a pong carrying the same payload (masked, zero key), as RFC 6455 requires. */
    static byte[] pong(byte[] payload) {
        byte[] pong = maskedTextFrame(payload);
        pong[0] = (byte) 0x8a;
        return pong;
    }

    /** Where the first frame starts: just past the blank line that ends the 101's headers; -1 until it has arrived. */
    static int afterHeaders(ByteBuffer b) {
        int end = indexOf(b, HEADER_END);
        return end < 0 ? -1 : end + HEADER_END.length;
    }

    private static int indexOf(ByteBuffer b, byte[] pattern) {
        outer:
        for (int i = b.position(); i <= b.limit() - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b.get(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
