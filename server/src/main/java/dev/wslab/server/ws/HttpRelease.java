package dev.wslab.server.ws;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;

/**
 * Lets go of Undertow's HTTP/1.1 connection once its socket is a WebSocket: ~800 B per idle socket
 * (BENCHMARKS.md, "What an idle socket holds"). Undertow keeps the connection, its parser state and
 * its read listener until the socket closes, because the connection's close listener is the
 * socket's, and XNIO merges close listeners rather than replacing one. Here Undertow's listener is
 * taken off the socket before the WebSocket adds its own, and run at once, on the I/O thread after
 * the upgrade's event, as if the HTTP connection had closed: that is Undertow's own cleanup (out of
 * the open listener's set of connections, its timers cancelled); the socket stays open.
 *
 * <p>XNIO offers no way to take a listener off, so this writes the socket's private listener field.
 * Should a future XNIO lack it, nothing is released and the node works as before, holding more per
 * socket ({@link #available()}, logged at start; IdleSocketMemoryTest fails).
 */
final class HttpRelease {
    private final Field closeListener;

    HttpRelease() {
        this.closeListener = closeListenerField();
    }

    private static Field closeListenerField() {
        try {
            Field field = StreamConnection.class.getDeclaredField("closeListener");
            if (field.getType() != AtomicReference.class) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    boolean available() {
        return closeListener != null;
    }

    /**
     * Call on the I/O thread in the upgrade listener, before anything else sets a close listener on
     * {@code stream}. Not done when the client had already sent bytes past its request head: those
     * are still read through the HTTP connection.
     */
    boolean release(StreamConnection stream, HttpServerExchange upgraded) {
        if (closeListener == null || !stream.isOpen()
                || !(upgraded.getConnection() instanceof AbstractServerConnection http) || http.getExtraBytes() != null) {
            return false;
        }
        AtomicReference<ChannelListener<? super StreamConnection>> listener = listenerOf(stream);
        ChannelListener<? super StreamConnection> undertow = listener.get();
        // A close between the check and here has swapped in XNIO's "already invoked" mark: leave it.
        if (undertow == null || !listener.compareAndSet(undertow, null)) {
            return false;
        }
        stream.getIoThread().execute(() -> ChannelListeners.invokeChannelListener(stream, undertow));
        return true;
    }

    @SuppressWarnings("unchecked")
    private AtomicReference<ChannelListener<? super StreamConnection>> listenerOf(StreamConnection stream) {
        try {
            return (AtomicReference<ChannelListener<? super StreamConnection>>) closeListener.get(stream);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the close listener field was made accessible", e);
        }
    }
}
