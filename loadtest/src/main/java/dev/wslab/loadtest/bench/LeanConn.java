package dev.wslab.loadtest.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One socket of {@link LeanClients}: a bare record and nothing more, because tens of thousands are
 * alive at once and each extra field or buffer is paid that many times. Touched by the selector
 * thread only, so there is nothing to guard.
 */
final class LeanConn {
    SocketChannel channel;
    /** The start of a frame (or of the 101) that the last read cut off; null nearly always. */
    byte[] leftover;
    /** What the kernel did not take yet; null nearly always. */
    ByteBuffer pendingWrite;
    boolean upgraded;
    boolean closed;
}
