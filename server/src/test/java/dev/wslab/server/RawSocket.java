package dev.wslab.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket peer at the byte level, for what a well-behaved client library will not do: stay
 * silent to pings, send invalid UTF-8. Frames it sends are masked, as a client's must be.
 */
public final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    public RawSocket(int port, String origin) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        in = socket.getInputStream();
    }

    /** The status line and headers of the handshake answer. */
    public String readHandshake() throws IOException {
        return readHead(in);
    }

    /** An HTTP answer's status line and headers, read up to the blank line (or the end of the stream). */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    public void sendText(byte[] payload) throws IOException {
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
    }

    /** Reads frames, never answering, until the server's close frame; returns its code (-1 if none came). */
    public int closeCodeIgnoringEverythingElse() throws IOException {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return -1;
                }
                int length = in.read() & 0x7F;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    throw new IOException("unexpected huge frame");
                }
                byte[] payload = in.readNBytes(length);
                if ((first & 0x0F) == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
            }
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
