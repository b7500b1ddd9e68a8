package dev.wslab.server.guard;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The most connections (WebSockets and HTTP sessions) one node takes. A full node answers new ones
 * 503 with {@code Retry-After}: HAProxy retries a 503 on another node at once (haproxy.cfg's
 * {@code retry-on}), a client that came straight here waits and tries again. Well before the cap the
 * load agent has already asked HAProxy for less ({@code balance.LoadWeight}).
 */
public final class ConnectionCap {
    public static final String OVER_CAPACITY = "over_capacity";
    static final int RETRY_AFTER_SECONDS = 5;

    private final int max;
    private final IntSupplier open;
    private final Consumer<String> refused;

    /** @param open the connections the node holds now; @param refused counts a refusal by its code */
    public ConnectionCap(int max, IntSupplier open, Consumer<String> refused) {
        this.max = max;
        this.open = open;
        this.refused = refused;
    }

    /**
     * When the node is full: counts it, sets 503 and Retry-After and returns true; the caller sends
     * {@link #reason()} in its own body format. Concurrent handshakes may pass the cap by a few.
     */
    public boolean refuses(HttpServerExchange exchange) {
        if (open.getAsInt() < max) {
            return false;
        }
        refused.accept(OVER_CAPACITY);
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return true;
    }

    public String reason() {
        return "node full: it holds its " + max + " connections; retry in " + RETRY_AFTER_SECONDS + " s or on another node";
    }
}
