package dev.wslab.server.client;

import dev.wslab.server.auth.Authenticator;
import dev.wslab.server.auth.Identity;
import dev.wslab.server.auth.TokenException;
import dev.wslab.server.guard.ConnectionCap;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.function.BooleanSupplier;

/**
 * Whether a new client is let in, the same for a WebSocket handshake and an HTTP session: not while
 * the node drains or is full (503, so HAProxy retries elsewhere), not with a bad token (401). Each
 * transport answers a refusal in its own body format; the status, code and reason are decided here.
 */
public final class Admission {
    /** Why a client was refused: its HTTP status, error code and reason. */
    public record Refused(int status, ErrorCode code, String reason) implements Decision {}

    /** Who the admitted client is and which load-balancer policy brought it. */
    public record Admitted(Identity identity, Lb lb) implements Decision {}

    public sealed interface Decision permits Refused, Admitted {}

    private final BooleanSupplier draining;
    private final ConnectionCap cap;
    private final Authenticator authenticator;
    private final String lbHeader;
    private final Metrics metrics;

    public Admission(BooleanSupplier draining, ConnectionCap cap, Authenticator authenticator, String lbHeader, Metrics metrics) {
        this.draining = draining;
        this.cap = cap;
        this.authenticator = authenticator;
        this.lbHeader = lbHeader;
        this.metrics = metrics;
    }

    /** Decides; a refusal is counted ({@code wslab_errors_total}) and its status already set on the exchange. */
    public Decision decide(HttpServerExchange exchange, String draining503) {
        if (draining.getAsBoolean()) {
            metrics.error(ErrorCode.DRAINING.wire());
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            return new Refused(StatusCodes.SERVICE_UNAVAILABLE, ErrorCode.DRAINING, draining503);
        }
        if (cap.refuses(exchange)) {
            return new Refused(StatusCodes.SERVICE_UNAVAILABLE, ErrorCode.OVER_CAPACITY, cap.reason());
        }
        try {
            Identity identity = authenticator.client(token(exchange));
            return new Admitted(identity, lb(exchange));
        } catch (TokenException e) {
            metrics.error(ErrorCode.UNAUTHORIZED.wire());
            exchange.setStatusCode(StatusCodes.UNAUTHORIZED);
            return new Refused(StatusCodes.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "unauthorized: " + e.getMessage());
        }
    }

    /** The policy HAProxy says it used (its header); direct when absent. */
    private Lb lb(HttpServerExchange exchange) {
        return Lb.fromHeader(exchange.getRequestHeaders().getFirst(lbHeader));
    }

    /**
     * The client's token: {@code Authorization: Bearer …}, or {@code ?token=…} for browsers, which
     * cannot set headers on a WebSocket or an EventSource. Null when there is none.
     */
    static String token(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return authorization.substring("Bearer ".length()).trim();
        }
        return exchange.getQueryParameters().containsKey("token") ? exchange.getQueryParameters().get("token").getFirst() : null;
    }
}
