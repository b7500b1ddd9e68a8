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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/**
 * Tens of thousands of WebSocket client connections on one selector thread: no thread, no object
 * and no heap buffer per socket beyond a small record, and nothing allocated per received frame
 * (one shared read buffer; only a frame split across reads is copied aside). This is the bench's
 * load generator: Gatling's per-user machinery would cost more than the server it measures.
 *
 * <p>Each socket binds its own source address, 1000 sockets per address over 127.1.0.0/16, so the
 * count is not capped by the ~28k ephemeral ports one source address has towards one server port.
 * Client frames are masked with the all-zero key, which RFC 6455 allows and which saves XORing.
 *
 * <p>This class opens the sockets and runs the loop; reading ({@link FrameReader}), writing
 * ({@link ConnWriter}), ending and counting ({@link ConnEnds}) and the wire format
 * ({@link ClientFrames}) each have their own.
 */
final class LeanClients implements AutoCloseable {
    /** Called on the selector thread with a text frame's payload: {@code buffer[from, to)}. */
    interface TextHandler {
        void onText(ByteBuffer buffer, int from, int to);
    }

    static final int PER_SOURCE_ADDRESS = 1000;
    private static final int MAX_CONNECTING = 2000;

    private final InetSocketAddress target;
    private final byte[] handshake;
    private final Selector selector;
    private final ConnEnds ends = new ConnEnds();
    private final ConnWriter writer;
    private final FrameReader reader;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<LeanConn> conns = new ArrayList<>();
    private volatile long submitted;
    /** Where {@link #sendRoundRobin} goes on; the selector thread's alone. */
    private int cursor;
    private volatile boolean running = true;

    LeanClients(String host, int port, String path, TextHandler handler) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.handshake = ClientFrames.handshake(host, port, path);
        this.selector = Selector.open();
        this.writer = new ConnWriter(selector, ends);
        this.reader = new FrameReader(handler, writer, ends);
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
            long settled = reader.upgraded() + ends.failed();
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
        byte[] frame = ClientFrames.maskedTextFrame(text.getBytes(StandardCharsets.UTF_8));
        tasks.add(() -> {
            for (LeanConn c : conns) {
                if (c.upgraded && !c.closed) {
                    writer.write(c, ByteBuffer.wrap(frame));
                }
            }
        });
        selector.wakeup();
    }

    /**
     * Sends one frame to each of the next {@code count} sockets in the order they were opened, going
     * on from where the last call stopped. {@code text} makes the frame for a socket's index on the
     * selector thread, so a timestamp in it is the moment of the write, not of the asking.
     */
    void sendRoundRobin(int count, IntFunction<String> text) {
        tasks.add(() -> {
            for (int i = 0; i < count && !conns.isEmpty(); i++) {
                int index = cursor;
                cursor = (cursor + 1) % conns.size();
                LeanConn c = conns.get(index);
                if (c.upgraded && !c.closed) {
                    writer.write(c, ByteBuffer.wrap(ClientFrames.maskedTextFrame(text.apply(index).getBytes(StandardCharsets.UTF_8))));
                }
            }
        });
        selector.wakeup();
    }

    long upgraded() {
        return reader.upgraded();
    }

    long failed() {
        return ends.failed();
    }

    long closedByServer() {
        return ends.closedByServer();
    }

    long texts() {
        return reader.texts();
    }

    Map<String, Integer> failures() {
        return ends.failures();
    }

    /** A client text frame; see {@link ClientFrames#maskedTextFrame}. */
    static byte[] maskedTextFrame(byte[] payload) {
        return ClientFrames.maskedTextFrame(payload);
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
        LeanConn c = new LeanConn();
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
            ends.fail(c, e);
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
                    LeanConn c = (LeanConn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            writer.write(c, ByteBuffer.wrap(handshake));
                            key.interestOps(SelectionKey.OP_READ | (c.pendingWrite != null ? SelectionKey.OP_WRITE : 0));
                        } else {
                            if (key.isWritable()) {
                                writer.flush(c, key);
                            }
                            if (key.isReadable()) {
                                reader.read(c, key);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        ends.fail(c, e);
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (running) {
                    ends.selectorFailed(e);
                }
            }
        }
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
        for (LeanConn c : conns) {
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
