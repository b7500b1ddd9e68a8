package dev.wslab.server.ws;

import dev.wslab.server.client.Client;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * The outbound side of one WebSocket: a conduit on the socket's TCP sink, above Undertow's framing.
 * The node writes its data frames here itself, each a whole RFC 6455 frame made once for all its
 * recipients: no per-send frame channel, pooled header, frame queue or callback; waiting frames
 * leave in one gathering write. Undertow's frames (close, ping, pong) come through the same conduit
 * from above, and the two are never cut into each other: the node's frames wait while Undertow is
 * part-way through one of its own, Undertow's writes wait while the node's queued frames go first,
 * and a close waits for every frame queued before it ({@link #afterQueued}). Each frame counts in its
 * {@link Client}'s outbound queue until the kernel took all of it, which bounds a slow reader.
 *
 * <p>Threads: the socket's I/O thread only — the node's sends are tasks there, and so is every
 * Undertow send ({@link WebSocketWire} hands each one over), as Undertow's reads already are.
 */
final class Outbound extends AbstractStreamSinkConduit<StreamSinkConduit> implements WriteReadyHandler {
    /** Whether Undertow has sent the close frame: after it, nothing may go on the wire. */
    private final BooleanSupplier closeFrameSent;
    private final Closeable socket;
    private final FrameQueue queue = new FrameQueue();
    private Client owner;
    /** The channel's handler: Undertow's write listener. */
    private WriteReadyHandler undertow;
    /** Undertow asked for write readiness (and has not suspended since). */
    private boolean undertowResumed;
    /** Undertow's last write left part of a frame unwritten: nothing else may go until it finishes. */
    private boolean undertowMidFrame;
    /** Undertow's last write was held back for the node's queue; it is woken when that is out. */
    private boolean undertowHeld;
    /** Undertow shut writes while the node's frames were still queued: done once they are out. */
    private boolean terminatePending;
    private boolean broken;

    Outbound(StreamSinkConduit next, BooleanSupplier closeFrameSent, Closeable socket) {
        super(next);
        this.closeFrameSent = closeFrameSent;
        this.socket = socket;
        next.setWriteReadyHandler(this);
    }

    /** Puts an Outbound on top of the connection's sink, above Undertow's conduits, for {@code channel}. */
    static Outbound install(StreamConnection connection, WebSocketChannel channel) {
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        Outbound outbound = new Outbound(sink.getConduit(), channel::isCloseFrameSent, channel);
        sink.setConduit(outbound);
        // What the channel had set on the conduits below (setConduit does not): the handler that runs
        // its write listener (Undertow's) and, once the socket ends, its close listener.
        outbound.setWriteReadyHandler(new WriteReadyHandler.ChannelListenerHandler<>(sink));
        return outbound;
    }

    /**
     * Writes one whole frame of {@code client}'s, or queues what the socket could not take behind
     * what is waiting. The bytes are not changed, and {@code frame} is not kept: it may be the view
     * the caller writes to every socket of its thread ({@code Frame.webSocketView}); its position is
     * left wherever the write stopped.
     */
    void send(ByteBuffer frame, Client client) {
        owner = client;
        if (broken || closeFrameSent.getAsBoolean()) {
            // After the close frame nothing may follow it on the wire: as a send on a closed socket.
            client.written(false);
            return;
        }
        if (queue.isEmpty() && !undertowMidFrame) {
            try {
                next.write(frame);
            } catch (IOException e) {
                client.written(false);
                fail();
                return;
            }
            if (!frame.hasRemaining()) {
                client.written(1);
                return;
            }
        }
        queue.add(frame.duplicate());
        next.resumeWrites();
    }

    /** Writes the node's queued frames; true when none is left. */
    private boolean flushOwn() throws IOException {
        int before = queue.size();
        if (before > 0) {
            try {
                queue.writeTo(next);
            } finally {
                owner.written(before - queue.size()); // counted even when a later write of this flush failed
            }
        }
        drained();
        return queue.isEmpty();
    }

    /**
     * Runs {@code action} (an Undertow send that must follow every frame the node has queued: the
     * close) once those are out and Undertow has finished a frame it began; at once if they are.
     */
    void afterQueued(Runnable action) {
        if (!broken) {
            queue.whenEmpty(action);
            drained();
        }
    }

    private void drained() {
        if (!undertowMidFrame) {
            queue.runWhenEmpty();
        }
    }

    /** The socket can take more: the node's frames first (unless Undertow must finish one), then Undertow's. */
    @Override
    public void writeReady() {
        if (!undertowMidFrame) {
            try {
                if (!flushOwn()) {
                    return;
                }
                if (terminatePending) {
                    terminatePending = false;
                    next.terminateWrites();
                }
            } catch (IOException e) {
                fail();
                return;
            }
        }
        if (undertowResumed || undertowHeld || undertowMidFrame) {
            undertowHeld = false;
            undertow.writeReady();
        } else if (queue.isEmpty()) {
            next.suspendWrites();
        }
    }

    /** A write failed: the peer is gone; every queued frame fails, and the socket closes (and its close tasks run). */
    private void fail() {
        dropQueued();
        IoUtils.safeClose(socket);
    }

    private void dropQueued() {
        broken = true;
        for (int dropped = queue.clear(); dropped > 0; dropped--) {
            owner.written(false);
        }
    }

    // Undertow's side: its writes, and its interest in write readiness.

    /** False when the node's queued frames must go first (and could not all go now). */
    private boolean mayUndertowWrite() throws IOException {
        if (!queue.isEmpty() && !undertowMidFrame && !flushOwn()) {
            undertowHeld = true;
            next.resumeWrites();
            return false;
        }
        return true;
    }

    /** Undertow's frame is complete on the wire: the node's frames queued meanwhile may follow. */
    private void afterUndertowWrite(long written, boolean frameLeftOver) throws IOException {
        // A write the kernel took nothing of leaves Undertow where it was: not yet inside a frame, or still in one.
        if (written > 0 || !frameLeftOver) {
            undertowMidFrame = frameLeftOver;
        }
        if (!undertowMidFrame && !queue.isEmpty() && !flushOwn()) {
            next.resumeWrites();
        }
        drained();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!mayUndertowWrite()) {
            return 0;
        }
        int n = next.write(src);
        afterUndertowWrite(n, src.hasRemaining());
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        if (!mayUndertowWrite()) {
            return 0;
        }
        long n = next.write(srcs, offs, len);
        afterUndertowWrite(n, Buffers.hasRemaining(srcs, offs, len));
        return n;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offs, len);
    }

    @Override
    public long transferFrom(java.nio.channels.FileChannel src, long position, long count) throws IOException {
        return mayUndertowWrite() ? next.transferFrom(src, position, count) : 0;
    }

    @Override
    public long transferFrom(org.xnio.channels.StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return mayUndertowWrite() ? next.transferFrom(source, count, throughBuffer) : 0;
    }

    @Override
    public boolean flush() throws IOException {
        if (!queue.isEmpty() && (undertowMidFrame || !flushOwn())) {
            return false;
        }
        if (terminatePending) {
            terminatePending = false;
            next.terminateWrites();
        }
        return next.flush();
    }

    @Override
    public void terminateWrites() throws IOException {
        terminatePending = !queue.isEmpty();
        if (terminatePending) {
            next.resumeWrites();
        } else {
            next.terminateWrites();
        }
    }

    @Override
    public void truncateWrites() throws IOException {
        dropQueued();
        next.truncateWrites();
    }

    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        undertow = handler;
    }

    @Override
    public void resumeWrites() {
        undertowResumed = true;
        next.resumeWrites();
    }

    @Override
    public void suspendWrites() {
        undertowResumed = false;
        if (queue.isEmpty() && !undertowHeld && !terminatePending) {
            next.suspendWrites();
        }
    }

    @Override
    public void wakeupWrites() {
        undertowResumed = true;
        next.wakeupWrites();
    }

    @Override
    public boolean isWriteResumed() {
        return undertowResumed;
    }

    @Override
    public void forceTermination() {
        dropQueued();
        undertow.forceTermination();
    }

    /** The socket ended (closed, cut, or reset by the peer): what is still queued never goes, and counts as failed. */
    @Override
    public void terminated() {
        dropQueued();
        undertow.terminated();
    }
}
