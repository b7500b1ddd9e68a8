package dev.wslab.server.client;

import dev.wslab.server.protocol.CloseCodes;
import dev.wslab.server.auth.Identity;
import dev.wslab.server.metrics.Metrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.XnioIoThread;

/**
 * One client, on a WebSocket or an HTTP session ({@link Wire}). Thread-safe: frames arrive from the
 * bus's threads and the client's I/O thread.
 *
 * <p>All writes run on the wire's I/O thread. Outbound frames are counted from hand-off to Undertow
 * until written; when more than the limit are waiting, the reader is too slow, and it is closed with 1008 rather than allowed to grow the heap.
 * Its TCP connection is cut shortly after, since a reader that full cannot take the close frame
 * either.
 */
public final class Client {
    private final String session;
    private final Lb lb;
    private final Identity identity;
    private final Wire wire;
    private final int maxQueued;
    private final Metrics metrics;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();

    public Client(String session, Lb lb, Identity identity, Wire wire, int maxQueued, Metrics metrics) {
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

    public boolean isOpen() {
        return !closing.get() && wire.isOpen();
    }

    /** Sends a frame owned by this connection alone (welcome, ack, error). */
    public void send(byte[] frame) {
        send(Frame.of(frame));
    }

    /** Hands a frame to the socket (it may be shared with others). Returns false when it was not queued. */
    public boolean send(Frame frame) {
        if (!reserve()) {
            return false;
        }
        // Frames arrive from the bus's threads and this socket's own, and the socket is written from its
        // I/O thread alone: a send from elsewhere is a task there, in order; one from there goes now,
        // ahead of tasks still queued (which is what lets a join's answer precede later events).
        XnioIoThread thread = wire.ioThread();
        if (Thread.currentThread() == thread) {
            write(frame);
        } else {
            thread.execute(() -> write(frame));
        }
        return true;
    }

    /**
     * Takes a slot in the outbound queue; false (and the reader closed if it is full) when there is
     * none. A broadcast reserves first and {@link #write}s on the I/O thread later.
     */
    public boolean reserve() {
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

    /** Takes a slot whatever the limit, for a frame the wire itself must send (a ping, pong or close). */
    public void reserveUnbounded() {
        queued.incrementAndGet();
    }

    /** Writes a frame whose slot is reserved. On the socket's I/O thread only. */
    public void write(Frame frame) {
        wire.write(frame, this);
    }

    public XnioIoThread ioThread() {
        return wire.ioThread();
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
            write(Frame.of(lastEvent));
            close(code, reason);
        });
    }

    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            wire.close(code, reason);
        }
    }

    private void closeSlowConsumer() {
        if (closeAndCut(CloseCodes.SLOW_CONSUMER, CloseCodes.SLOW)) {
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

    /** The wire wrote {@code frames} frames out, in one go. */
    public void written(int frames) {
        queued.addAndGet(-frames);
    }
}
