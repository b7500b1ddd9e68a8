package dev.wslab.server.hub;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import java.util.ArrayList;
import java.util.List;
import org.xnio.XnioIoThread;

/**
 * One frame on its way to many sockets. Recipients are grouped by their I/O thread and each group is
 * written by one task on that thread, so a broadcast to N sockets costs one hand-off per I/O thread
 * (two on our machine), not N: no task, lambda or queue slot per recipient, and no selector wake-up
 * per recipient either. The frame is encoded once, WebSocket framing included ({@link Frame}); every
 * socket writes the same bytes, through one view per batch ({@link Frame#forOneThread}): no buffer
 * per recipient, nor an iterator.
 *
 * <p>Each recipient's delivery latency is taken as its write happens: how long ago the message was
 * published when the broadcast began (wall clocks, the publishing node's stamp against ours), plus
 * the monotonic time since then — the hand-off to the I/O thread and the writes before its own.
 *
 * <p>Used by one thread: the bus thread that delivers the event, then {@link #flush()}es.
 */
public final class Broadcast {
    private final Frame frame;
    private final long ageNanos;
    private final long startNanos = System.nanoTime();
    private final DeliveryLatency latency;
    private final List<Batch> batches = new ArrayList<>(2);

    /**
     * @param ageNanos how long ago the message was published, or -1 when there is no publish time to
     *                 measure from (a message filled in from the history)
     */
    public Broadcast(Frame frame, long ageNanos, DeliveryLatency latency) {
        this.frame = frame;
        this.ageNanos = ageNanos;
        this.latency = latency;
    }

    /** Adds a socket whose queue slot is already reserved. */
    void add(Client connection) {
        XnioIoThread thread = connection.ioThread();
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            if (batch.thread == thread) {
                batch.add(connection);
                return;
            }
        }
        Batch batch = new Batch(thread, this);
        batch.add(connection);
        batches.add(batch);
    }

    /** Hands each group to its I/O thread. */
    public void flush() {
        for (int i = 0; i < batches.size(); i++) {
            batches.get(i).thread.execute(batches.get(i));
        }
        batches.clear();
    }

    private static final class Batch implements Runnable {
        final XnioIoThread thread;
        final Frame frame;
        final long ageNanos;
        final long startNanos;
        final DeliveryLatency latency;
        Client[] recipients = new Client[16];
        int size;

        Batch(XnioIoThread thread, Broadcast broadcast) {
            this.thread = thread;
            this.frame = broadcast.frame.forOneThread();
            this.ageNanos = broadcast.ageNanos;
            this.startNanos = broadcast.startNanos;
            this.latency = broadcast.latency;
        }

        void add(Client connection) {
            if (size == recipients.length) {
                recipients = java.util.Arrays.copyOf(recipients, size * 2);
            }
            recipients[size++] = connection;
        }

        @Override
        public void run() {
            if (ageNanos < 0) {
                for (int i = 0; i < size; i++) {
                    recipients[i].write(frame);
                }
                return;
            }
            long base = ageNanos - startNanos;
            for (int i = 0; i < size; i++) {
                recipients[i].write(frame);
                latency.record(recipients[i].lb(), base + System.nanoTime());
            }
        }
    }
}
