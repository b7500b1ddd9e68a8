package dev.wslab.server.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * The bottom of a socket's sink for {@link OutboundTest}: takes at most {@code room} more bytes (a
 * kernel send buffer that fills), records every byte in order, and counts the write calls (a
 * gathering write is one call).
 */
final class LimitedSink implements StreamSinkConduit {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int room;
    int writeCalls;
    int gatheringCalls;
    boolean resumed;
    boolean terminated;
    IOException failure;
    WriteReadyHandler handler;

    LimitedSink(int room) {
        this.room = room;
    }

    String text() {
        return bytes.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writeCalls++;
        return take(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        writeCalls++;
        gatheringCalls++;
        long total = 0;
        for (int i = offs; i < offs + len; i++) {
            total += take(srcs[i]);
        }
        return total;
    }

    private int take(ByteBuffer src) throws IOException {
        if (failure != null) {
            throw failure;
        }
        int n = Math.min(room, src.remaining());
        for (int i = 0; i < n; i++) {
            bytes.write(src.get());
        }
        room -= n;
        return n;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return write(src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return write(srcs, offs, len);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void terminateWrites() {
        terminated = true;
    }

    @Override
    public boolean isWriteShutdown() {
        return terminated;
    }

    @Override
    public void resumeWrites() {
        resumed = true;
    }

    @Override
    public void suspendWrites() {
        resumed = false;
    }

    @Override
    public void wakeupWrites() {
        resumed = true;
    }

    @Override
    public boolean isWriteResumed() {
        return resumed;
    }

    @Override
    public void awaitWritable() {
    }

    @Override
    public void awaitWritable(long time, TimeUnit timeUnit) {
    }

    @Override
    public XnioIoThread getWriteThread() {
        return null;
    }

    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        this.handler = handler;
    }

    @Override
    public void truncateWrites() {
        terminated = true;
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public XnioWorker getWorker() {
        return null;
    }
}
