package dev.wslab.server.ws;

import dev.wslab.server.auth.Identity;
import dev.wslab.server.broker.Envelope;
import dev.wslab.server.metrics.Metrics;
import io.undertow.websockets.core.CloseMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.XnioIoThread;

/**
 * One client, on a WebSocket or an HTTP session ({@link Wire}). Thread-safe: frames arrive from the
 * bus's threads and the client's I/O thread.
 *
 * <p>All writes run on the wire's I/O thread. Outbound frames are counted from hand-off to Undertow until written; when more than the limit are
 * waiting, the reader is too slow, and it is closed with 1008 rather than allowed to grow the heap.
 * Its TCP connection is cut shortly after, since a reader that full cannot take the close frame
 * either.
 */
public final class Connection {
    static final int SLOW_CONSUMER = CloseMessage.MSG_VIOLATES_POLICY;

    private final String session;
    private final Lb lb;
    private final Identity identity;
    private final Wire wire;
    private final int maxQueued;
    private final Metrics metrics;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Made on the first join: most sockets of a capacity run never join, and an idle one should cost little. */
    private volatile RoomState roomState;
    private volatile long lastHeardNanos = System.nanoTime();

    private static final class RoomState {
        final Set<String> joined = ConcurrentHashMap.newKeySet();
        final Map<String, JoinBuffer> joining = new ConcurrentHashMap<>();
        /**
         * Per room, the highest seq this socket was sent. A live message can reach the node after a
         * resume already replayed it from the history (the bus and the history read race), so numbered
         * events at or below it are dropped: the client sees each seq once, in order.
         */
        final Map<String, Long> sentUpTo = new ConcurrentHashMap<>();
    }

    /** Room events that arrive between subscribing and telling the client it joined. */
    private static final class JoinBuffer {
        final List<Envelope> events = new ArrayList<>();
        boolean flushed;
    }

    public Connection(String session, Lb lb, Identity identity, Wire wire, int maxQueued, Metrics metrics) {
        this.session = session;
        this.identity = identity;
        this.lb = lb;
        this.wire = wire;
        this.maxQueued = maxQueued;
        this.metrics = metrics;
    }

    public String session() {
        return session;
    }

    /** Who the client is (from its token, or anonymous) and which rooms it may use. */
    public Identity identity() {
        return identity;
    }

    public Lb lb() {
        return lb;
    }

    public Set<String> rooms() {
        return roomState().joined;
    }

    private RoomState roomState() {
        RoomState state = roomState;
        if (state == null) {
            synchronized (this) {
                if (roomState == null) {
                    roomState = new RoomState();
                }
                state = roomState;
            }
        }
        return state;
    }

    public boolean isOpen() {
        return !closing.get() && wire.isOpen();
    }

    /** Sends a frame owned by this connection alone (welcome, ack, error). */
    public void send(byte[] frame) {
        send(ByteBuffer.wrap(frame));
    }

    /**
     * Hands a frame to the socket. {@code frame} must not be shared with another socket's send:
     * pass a {@code duplicate()} of a shared buffer. Returns false when the frame was not queued.
     */
    public boolean send(ByteBuffer frame) {
        if (!reserve()) {
            return false;
        }
        // Undertow's frame queue is not safe for concurrent senders, and frames arrive from the bus's
        // threads and this socket's own: every send goes through the socket's I/O thread, in order.
        wire.ioThread().execute(() -> write(frame));
        return true;
    }

    /** Takes a slot in the outbound queue; false (and the reader closed if it is full) when there is none. */
    private boolean reserve() {
        if (!isOpen()) {
            return false;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            closeSlowConsumer();
            return false;
        }
        return true;
    }

    /** Writes a frame whose slot is reserved. On the socket's I/O thread only. */
    void write(ByteBuffer frame) {
        wire.write(frame, this);
    }

    XnioIoThread ioThread() {
        return wire.ioThread();
    }

    /**
     * Delivers a room event as part of {@code broadcast}, holding it back if the join that subscribed
     * us has not completed. Returns false when the socket could not take it.
     */
    public boolean deliver(String room, Envelope event, Broadcast broadcast) {
        JoinBuffer buffer = roomState().joining.get(room);
        if (buffer != null) {
            synchronized (buffer) {
                if (!buffer.flushed) {
                    buffer.events.add(event);
                    return true;
                }
            }
        }
        if (event.seq() != 0 && !advance(room, event.seq())) {
            return true;
        }
        if (!reserve()) {
            return false;
        }
        broadcast.add(this);
        return true;
    }

    /** Records that {@code seq} is being sent; false if it (or a later one) already was. */
    private boolean advance(String room, long seq) {
        boolean[] fresh = {false};
        roomState().sentUpTo.compute(room, (r, last) -> {
            if (last == null || seq > last) {
                fresh[0] = true;
                return seq;
            }
            return last;
        });
        return fresh[0];
    }

    /** Starts holding back the room's events until {@link #joinCompleted}. */
    public void joinStarted(String room) {
        RoomState state = roomState();
        state.sentUpTo.remove(room);
        state.joining.put(room, new JoinBuffer());
    }

    /**
     * Sends the joined event, the replayed messages (seq up to {@code seq}), then the held-back events
     * it does not already cover: messages with a seq above {@code seq}, and every unnumbered event.
     */
    public void joinCompleted(String room, byte[] joined, long seq, java.util.List<byte[]> replay) {
        JoinBuffer buffer = roomState().joining.get(room);
        if (buffer == null) {
            advance(room, seq);
            send(joined);
            replay.forEach(this::send);
            return;
        }
        synchronized (buffer) {
            advance(room, seq);
            send(joined);
            replay.forEach(this::send);
            for (Envelope event : buffer.events) {
                if (event.seq() == 0 || advance(room, event.seq())) {
                    send(event.frame().duplicate());
                }
            }
            buffer.events.clear();
            buffer.flushed = true;
            roomState().joining.remove(room, buffer);
        }
    }

    /** The client left the room: a later join starts from its own snapshot. */
    public void left(String room) {
        roomState().sentUpTo.remove(room);
    }

    public void joinAbandoned(String room) {
        RoomState state = roomState();
        state.joining.remove(room);
        state.sentUpTo.remove(room);
    }

    /** Frames handed to the socket and not yet written: what the load agent weighs. */
    public int queued() {
        return queued.get();
    }

    /**
     * Sends one last event, then closes: both on the socket's I/O thread, so the event is written
     * before the close frame (a {@code move} that says where and when to reconnect).
     */
    public void closeAfter(byte[] lastEvent, int code, String reason) {
        if (!reserve()) {
            return;
        }
        wire.ioThread().execute(() -> {
            write(ByteBuffer.wrap(lastEvent));
            close(code, reason);
        });
    }

    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            wire.close(code, reason);
        }
    }

    private void closeSlowConsumer() {
        if (closeAndCut(SLOW_CONSUMER, "slow consumer: outbound queue full")) {
            metrics.slowConsumer();
        }
    }

    /** Anything received from the peer, pongs included, proves it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    public long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    public void ping() {
        if (isOpen()) {
            wire.ping(this);
        }
    }

    /** Closes a peer that stopped answering; it may be gone, so its connection is cut after the close frame. */
    public boolean closeUnresponsive(int code, String reason) {
        return closeAndCut(code, reason);
    }

    /**
     * Says goodbye, then cuts the transport shortly after: a peer that cannot read (full buffers) or
     * is gone (silent) would otherwise hold the socket open.
     */
    private boolean closeAndCut(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        wire.closeAndCut(code, reason);
        return true;
    }

    /** The wire is done with one frame: it went out, or (not ok) could not. */
    public void written(boolean ok) {
        queued.decrementAndGet();
        if (!ok) {
            metrics.sendFailed();
        }
    }
}
