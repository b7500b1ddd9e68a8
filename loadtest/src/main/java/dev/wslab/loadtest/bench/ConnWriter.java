package dev.wslab.loadtest.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Writes to the sockets of {@link LeanClients} without ever blocking the one selector thread they
 * all share: what the kernel does not take at once waits on the connection and goes out when the
 * socket is writable again. A write that fails ends the socket there and then, so callers (a
 * broadcast over every socket) carry on with the next one.
 */
final class ConnWriter {
    private final Selector selector;
    private final ConnEnds ends;

    ConnWriter(Selector selector, ConnEnds ends) {
        this.selector = selector;
        this.ends = ends;
    }

    void write(LeanConn c, ByteBuffer data) {
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
            ends.fail(c, e);
        }
    }

    /** The socket became writable: send what waited, and stop asking once nothing does. */
    void flush(LeanConn c, SelectionKey key) throws IOException {
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
}
