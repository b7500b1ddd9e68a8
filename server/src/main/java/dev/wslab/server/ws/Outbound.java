package dev.wslab.server.ws;

import dev.wslab.server.client.Client;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * The outbound side of one WebSocket, straight on the socket's TCP sink: every frame the node sends
 * it, in order — data frames, each a whole RFC 6455 frame made once for all its recipients, and the
 * socket's own pings, pongs and close. No per-send frame channel, pooled header or callback; what the
 * kernel cannot take now waits ({@link FrameQueue}) and leaves in one gathering write when the
 * socket can take more. Each frame counts in its {@link Client}'s outbound queue until the kernel
 * took all of it, which bounds a slow reader. Nothing follows the close frame.
 *
 * <p>Threads: the socket's I/O thread only — the node's sends are tasks there.
 */
final class Outbound implements WriteReadyHandler {
    private final StreamSinkConduit sink;
    private final Closeable socket;
    private final FrameQueue queue = new FrameQueue();
    private Client owner;
    private boolean closeFrameSent;
    private boolean broken;

    Outbound(StreamSinkConduit sink, Closeable socket) {
        this.sink = sink;
        this.socket = socket;
        sink.setWriteReadyHandler(this);
    }

    /** The Outbound of an upgraded connection: the one writer of its sink from now on. */
    static Outbound install(StreamConnection connection) {
        return new Outbound(connection.getSinkChannel().getConduit(), connection);
    }

    /**
     * Writes one whole frame of {@code client}'s, or queues what the socket could not take behind
     * what is waiting. The bytes are not changed, and {@code frame} is not kept: it may be the view
     * the caller writes to every socket of its thread ({@code Frame.webSocketView}); its position is
     * left wherever the write stopped.
     */
    void send(ByteBuffer frame, Client client) {
        owner = client;
        if (broken || closeFrameSent) {
            // After the close frame nothing may follow it on the wire: as a send on a closed socket.
            client.written(false);
            return;
        }
        if (queue.isEmpty()) {
            try {
                sink.write(frame);
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
        sink.resumeWrites();
    }

    /**
     * The close frame, after every frame queued before it; {@code whenOut} runs once all of it is
     * written. False when a close frame went already (or the socket failed): nothing is sent.
     */
    boolean sendClose(ByteBuffer frame, Client client, Runnable whenOut) {
        if (broken || closeFrameSent) {
            return false;
        }
        client.reserveUnbounded();
        send(frame, client);
        closeFrameSent = true;
        afterQueued(whenOut);
        return true;
    }

    /** Runs {@code action} once every frame queued so far is out; at once if none waits. */
    void afterQueued(Runnable action) {
        if (!broken) {
            queue.whenEmpty(action);
            queue.runWhenEmpty();
        }
    }

    /** The socket can take more: the queued frames go, as many as it takes. */
    @Override
    public void writeReady() {
        int before = queue.size();
        if (before > 0) {
            try {
                queue.writeTo(sink);
            } catch (IOException e) {
                owner.written(before - queue.size());
                fail();
                return;
            }
            owner.written(before - queue.size());
        }
        if (queue.isEmpty()) {
            sink.suspendWrites();
            queue.runWhenEmpty();
        }
    }

    /** A write failed: the peer is gone; every queued frame fails, and the socket closes (and its close listener runs). */
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

    @Override
    public void forceTermination() {
        dropQueued();
    }

    /** The socket ended (closed, cut, or reset by the peer): what is still queued never goes, and counts as failed. */
    @Override
    public void terminated() {
        dropQueued();
    }
}
