package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tens of thousands of WebSocket client connections on one selector thread: no thread, no object
 * and no heap buffer per socket beyond a small record, and nothing allocated per received frame
 * (one shared read buffer; only a frame split across reads is copied aside). This is the bench's
 * load generator: Gatling's per-user machinery would cost more than the server it measures.
 *
 * <p>Each socket binds its own source address, 1000 sockets per address over 127.1.0.0/16, so the
 * count is not capped by the ~28k ephemeral ports one source address has towards one server port.
 * Client frames are masked with the all-zero key, which RFC 6455 allows and which saves XORing.
 */
final class LeanClients implements AutoCloseable {
    /** Called on the selector thread with a text frame's payload: {@code buffer[from, to)}. */
    interface TextHandler {
        void onText(ByteBuffer buffer, int from, int to);
    }

    static final int PER_SOURCE_ADDRESS = 1000;
    private static final int MAX_CONNECTING = 2000;
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private final byte[] handshake;
    private final TextHandler handler;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final List<Conn> conns = new ArrayList<>();
    private final Map<String, Integer> failures = new TreeMap<>();
    private volatile long submitted;
    private volatile long upgraded;
    private volatile long failed;
    private volatile long closedByServer;
    private volatile long texts;
    private volatile boolean running = true;

    private static final class Conn {
        SocketChannel channel;
        byte[] leftover;
        ByteBuffer pendingWrite;
        boolean upgraded;
        boolean closed;
    }

    LeanClients(String host, int port, String path, TextHandler handler) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.handshake = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: d3NsYWJiZW5jaGtleTAwMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.handler = handler;
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "lean-clients-" + port);
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /**
     * Opens {@code count} more sockets (at most 2000 connecting at once) and returns when each is
     * upgraded or has failed, or the timeout passes. Failures are counted by cause (see {@link #failures()}).
     */
    void open(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = submitted + count;
        while (System.nanoTime() < deadline) {
            long settled = upgraded + failed;
            if (submitted < target && submitted - settled < MAX_CONNECTING) {
                long index = submitted;
                submitted = index + 1;
                tasks.add(() -> connect(index));
                selector.wakeup();
            } else if (submitted >= target && settled >= target) {
                return;
            } else {
                sleepMillis(1);
            }
        }
    }

    /** Sends the text (masked, as clients must) on every upgraded socket. */
    void sendToAll(String text) {
        byte[] frame = maskedTextFrame(text.getBytes(StandardCharsets.UTF_8));
        tasks.add(() -> {
            for (Conn c : conns) {
                if (c.upgraded && !c.closed) {
                    write(c, ByteBuffer.wrap(frame));
                }
            }
        });
        selector.wakeup();
    }

    long upgraded() {
        return upgraded;
    }

    long failed() {
        return failed;
    }

    long closedByServer() {
        return closedByServer;
    }

    long texts() {
        return texts;
    }

    synchronized Map<String, Integer> failures() {
        return new TreeMap<>(failures);
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

    static InetAddress sourceAddress(long index) {
        long block = index / PER_SOURCE_ADDRESS;
        byte[] a = {127, 1, (byte) (block / 250), (byte) (block % 250 + 1)};
        try {
            return InetAddress.getByAddress(a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void connect(long index) {
        Conn c = new Conn();
        try {
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.channel.bind(new InetSocketAddress(sourceAddress(index), 0));
            conns.add(c);
            if (c.channel.connect(target)) {
                c.channel.write(ByteBuffer.wrap(handshake));
                c.channel.register(selector, SelectionKey.OP_READ, c);
            } else {
                c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    private void run() {
        while (running) {
            try {
                selector.select(100);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            write(c, ByteBuffer.wrap(handshake));
                            key.interestOps(SelectionKey.OP_READ | (c.pendingWrite != null ? SelectionKey.OP_WRITE : 0));
                        } else {
                            if (key.isWritable()) {
                                flush(c, key);
                            }
                            if (key.isReadable()) {
                                read(c, key);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(c, e);
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (running) {
                    synchronized (this) {
                        failures.merge("selector: " + e.getMessage(), 1, Integer::sum);
                    }
                }
            }
        }
    }

    private void read(Conn c, SelectionKey key) throws IOException {
        readBuffer.clear();
        if (c.leftover != null) {
            readBuffer.put(c.leftover);
            c.leftover = null;
        }
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            close(c, key, true);
            return;
        }
        readBuffer.flip();
        if (!c.upgraded && !readHandshake(c, key)) {
            return;
        }
        parseFrames(c, key);
    }

    /** True once the 101 has been read (the buffer then starts at the first frame). */
    private boolean readHandshake(Conn c, SelectionKey key) throws IOException {
        int end = indexOf(readBuffer, HEADER_END);
        if (end < 0) {
            keepLeftover(c);
            return false;
        }
        byte[] status = new byte[Math.min(12, readBuffer.remaining())];
        readBuffer.get(readBuffer.position(), status);
        String line = new String(status, StandardCharsets.US_ASCII);
        if (!line.startsWith("HTTP/1.1 101")) {
            fail(c, new IOException("handshake answered " + line.trim()));
            key.cancel();
            return false;
        }
        readBuffer.position(end + HEADER_END.length);
        c.upgraded = true;
        upgraded++;
        return true;
    }

    private void parseFrames(Conn c, SelectionKey key) throws IOException {
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
                    close(c, key, true);
                    return;
                }
                case 0x9 -> {
                    // Ping: answer with a pong carrying the same payload (masked, zero key).
                    byte[] payload = new byte[to - from];
                    readBuffer.get(from, payload);
                    byte[] pong = maskedTextFrame(payload);
                    pong[0] = (byte) 0x8a;
                    write(c, ByteBuffer.wrap(pong));
                }
                default -> { }
            }
            readBuffer.position(to);
        }
        keepLeftover(c);
    }

    private void keepLeftover(Conn c) {
        if (readBuffer.hasRemaining()) {
            c.leftover = new byte[readBuffer.remaining()];
            readBuffer.get(c.leftover);
        }
    }

    private void write(Conn c, ByteBuffer data) {
        try {
            if (c.pendingWrite != null) {
                ByteBuffer joined = ByteBuffer.allocate(c.pendingWrite.remaining() + data.remaining());
                joined.put(c.pendingWrite).put(data).flip();
                c.pendingWrite = joined;
                return;
            }
            c.channel.write(data);
            if (data.hasRemaining()) {
                c.pendingWrite = data;
                SelectionKey key = c.channel.keyFor(selector);
                if (key != null) {
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
            }
        } catch (IOException e) {
            fail(c, e);
        }
    }

    private void flush(Conn c, SelectionKey key) throws IOException {
        if (c.pendingWrite != null) {
            c.channel.write(c.pendingWrite);
            if (!c.pendingWrite.hasRemaining()) {
                c.pendingWrite = null;
            }
        }
        if (c.pendingWrite == null) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void close(Conn c, SelectionKey key, boolean byServer) throws IOException {
        if (!c.closed) {
            c.closed = true;
            if (byServer) {
                closedByServer++;
            }
        }
        key.cancel();
        c.channel.close();
    }

    private void fail(Conn c, Exception e) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        if (!c.upgraded) {
            failed++;
        } else {
            closedByServer++;
        }
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        synchronized (this) {
            failures.merge(cause, 1, Integer::sum);
        }
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
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

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : conns) {
            try {
                if (c.channel != null) {
                    c.channel.close();
                }
            } catch (IOException ignored) {
                // closing everything anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
