package dev.wslab.server.guard;

import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xnio.ChannelListeners;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The node's HTTP/WebSocket listener: what {@code Undertow.start()} builds (an XNIO worker, an
 * HTTP/1.1 open listener, an accepting socket, with Undertow's defaults), built here because
 * Undertow offers no hook between accepting a socket and parsing its first request, which is where
 * {@link HeadGuard} has to sit.
 */
public final class GuardedServer implements AutoCloseable {
    /** Undertow's own default buffer for heaps over 128 MiB: 16 KiB less the pool's bookkeeping. */
    private static final int BUFFER_BYTES = 16 * 1024 - 20;

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> channel;

    private GuardedServer(XnioWorker worker, AcceptingChannel<StreamConnection> channel) {
        this.worker = worker;
        this.channel = channel;
    }

    /**
     * @param idleTimeout how long a socket may hold no request (before its first, between kept-alive ones)
     * @param maxHeadBytes the guard's limit; Undertow's own limits are set past it as a backstop
     */
    public static GuardedServer start(String host, int port, int ioThreads, int workerThreads, Duration idleTimeout,
            HeadGuard guard, HttpHandler root) {
        try {
            XnioWorker worker = Xnio.getInstance(GuardedServer.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                    .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .set(Options.WORKER_NAME, "wslab")
                    .getMap());
            OptionMap http = OptionMap.builder()
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) idleTimeout.toMillis())
                    .set(UndertowOptions.MAX_HEADER_SIZE, guard.maxHeadBytes() + BUFFER_BYTES)
                    .set(UndertowOptions.MAX_HEADERS, guard.maxHeaderFields() + 10)
                    .getMap();
            HttpOpenListener open = new HttpOpenListener(new DefaultByteBufferPool(true, BUFFER_BYTES, -1, 4), http);
            open.setRootHandler(guard.serving(root));
            OptionMap socket = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port),
                    ChannelListeners.openListenerAdapter(guard.accepting(open)), socket);
            channel.resumeAccepts();
            return new GuardedServer(worker, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    public int port() {
        return channel.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** Stops accepting, then stops the worker as {@code Undertow.stop()} does with a shutdown timeout. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already closed: nothing more to release.
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
