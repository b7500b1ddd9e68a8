package dev.wslab.server.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.conduits.StreamSinkConduit;

/**
 * The frames of one socket that the kernel could not take yet, oldest first: a ring whose size is a
 * power of two, made when a frame first has to wait and let go of when the queue empties, so that an
 * idle socket holds none — not even the large one a slow reader's backlog once needed. Written out
 * in gathering writes. One thread only (the socket's I/O thread).
 */
final class FrameQueue {
    /** How many queued frames one write hands the kernel at most. */
    private static final int GATHER = 64;
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private ByteBuffer[] ring = NONE;
    private int head;
    private int size;
    /** What waits for the queue to be empty, in the order it came. */
    private Runnable whenEmpty;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Queues a frame (the part of it still to write); the buffer is the queue's from now on. */
    void add(ByteBuffer frame) {
        if (size == ring.length) {
            ByteBuffer[] grown = new ByteBuffer[Math.max(8, ring.length * 2)];
            for (int i = 0; i < size; i++) {
                grown[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = grown;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = frame;
        size++;
    }

    /**
     * Writes queued frames to {@code sink}, up to {@link #GATHER} a write, until it takes no more.
     * Returns how many frames went out whole; the queue is empty when that is all it held.
     */
    int writeTo(StreamSinkConduit sink) throws IOException {
        int written = 0;
        while (size > 0) {
            int run = Math.min(Math.min(size, GATHER), ring.length - head);
            sink.write(ring, head, run);
            int done = 0;
            while (done < run && !ring[head].hasRemaining()) {
                removeHead();
                done++;
            }
            written += done;
            if (done < run) {
                return written;
            }
        }
        release();
        return written;
    }

    /** Slots held for waiting frames (0 when none waits). */
    int capacity() {
        return ring.length;
    }

    /** Keeps {@code action} until {@link #runWhenEmpty} finds the queue empty. */
    void whenEmpty(Runnable action) {
        Runnable earlier = whenEmpty;
        whenEmpty = earlier == null ? action : () -> {
            earlier.run();
            action.run();
        };
    }

    void runWhenEmpty() {
        if (size == 0 && whenEmpty != null) {
            Runnable action = whenEmpty;
            whenEmpty = null;
            action.run();
        }
    }

    /** Empties the queue, and forgets what waited for that; returns how many frames it held. */
    int clear() {
        whenEmpty = null;
        int dropped = size;
        while (size > 0) {
            removeHead();
        }
        release();
        return dropped;
    }

    private void release() {
        ring = NONE;
        head = 0;
    }

    private void removeHead() {
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
    }
}
