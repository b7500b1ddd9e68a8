package dev.wslab.server.hub;

import dev.wslab.server.auth.Identity;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Lb;
import dev.wslab.server.client.Wire;
import dev.wslab.server.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.wslab.server.client.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * A client's wire that keeps every frame written to it, on a real XNIO I/O thread as a socket's
 * would be: what the hub and the commands send can be read back in order, without a socket.
 */
public final class RecordingWire implements Wire {
    private final XnioIoThread thread;
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    public RecordingWire(XnioIoThread thread) {
        this.thread = thread;
    }

    /** One I/O thread for a test class; shut it down after. */
    public static XnioWorker worker() {
        try {
            return Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Client client(String session, XnioWorker worker, int maxQueued, RecordingWire[] wireOut) {
        RecordingWire wire = new RecordingWire(worker.getIoThread());
        wireOut[0] = wire;
        return new Client(session, Lb.DIRECT, Identity.guest(), wire, maxQueued, new Metrics(new SimpleMeterRegistry()));
    }

    /** The frames written so far, as text. */
    public List<String> frames() {
        return List.copyOf(frames);
    }

    @Override
    public XnioIoThread ioThread() {
        return thread;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void write(Frame written, Client client) {
        ByteBuffer frame = written.payload();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        frames.add(new String(bytes, StandardCharsets.UTF_8));
        client.written(true);
    }

    @Override
    public void close(int code, String reason) {
        open = false;
        frames.add("close " + code + " " + reason);
    }

    @Override
    public void closeAndCut(int code, String reason) {
        close(code, reason);
    }

    @Override
    public void ping(Client client) {
        frames.add("ping");
    }
}
