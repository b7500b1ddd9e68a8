package dev.wslab.server.ws;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.xnio.XnioIoThread;

/**
 * One frame on its way to many sockets. Recipients are grouped by their I/O thread and each group is
 * written by one task on that thread, so a broadcast to N sockets costs one hand-off per I/O thread
 * (two on our machine), not N: no task, lambda or queue slot per recipient, and no selector wake-up
 * per recipient either. The frame is encoded once; each socket writes its own view of it.
 *
 * <p>Used by one thread: the bus thread that delivers the event, then {@link #flush()}es.
 */
public final class Broadcast {
    private final ByteBuffer frame;
    private final List<Batch> batches = new ArrayList<>(2);

    public Broadcast(ByteBuffer frame) {
        this.frame = frame;
    }

    /** Adds a socket whose queue slot is already reserved. */
    void add(Connection connection) {
        XnioIoThread thread = connection.ioThread();
        for (Batch batch : batches) {
            if (batch.thread == thread) {
                batch.add(connection);
                return;
            }
        }
        Batch batch = new Batch(thread, frame);
        batch.add(connection);
        batches.add(batch);
    }

    /** Hands each group to its I/O thread. */
    public void flush() {
        for (Batch batch : batches) {
            batch.thread.execute(batch);
        }
        batches.clear();
    }

    private static final class Batch implements Runnable {
        final XnioIoThread thread;
        final ByteBuffer frame;
        Connection[] recipients = new Connection[16];
        int size;

        Batch(XnioIoThread thread, ByteBuffer frame) {
            this.thread = thread;
            this.frame = frame;
        }

        void add(Connection connection) {
            if (size == recipients.length) {
                recipients = java.util.Arrays.copyOf(recipients, size * 2);
            }
            recipients[size++] = connection;
        }

        @Override
        public void run() {
            for (int i = 0; i < size; i++) {
                recipients[i].write(frame.duplicate());
            }
        }
    }
}
