package dev.wslab.server.http;

import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ErrorCode;
import dev.wslab.server.protocol.ProtocolException;
import dev.wslab.server.protocol.ServerEvent;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/** JSON responses, errors in the same shape as the WebSocket error event. */
public final class Responses {
    private final Codec codec;

    public Responses(Codec codec) {
        this.codec = codec;
    }

    public void json(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(codec.encode(body)));
    }

    public void text(HttpServerExchange exchange, int status, String contentType, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseSender().send(body);
    }

    public void error(HttpServerExchange exchange, ProtocolException error) {
        json(exchange, statusOf(error.code()), error.toEvent());
    }

    public void error(HttpServerExchange exchange, int status, ErrorCode code, String message) {
        json(exchange, status, new ServerEvent.Error(code.wire(), message, null));
    }

    /**
     * Runs {@code action} so that the exchange outlives the handler call and may be answered later
     * from another thread (a Redis reply, a forwarded request, a long poll).
     */
    public static void async(HttpServerExchange exchange, Runnable action) {
        if (exchange.isInIoThread() && !exchange.isDispatched()) {
            exchange.dispatch(io.undertow.util.SameThreadExecutor.INSTANCE, action);
        } else {
            action.run();
        }
    }

    static int statusOf(ErrorCode code) {
        return switch (code) {
            case UNAVAILABLE, DRAINING -> StatusCodes.SERVICE_UNAVAILABLE;
            case TOO_LARGE -> StatusCodes.REQUEST_ENTITY_TOO_LARGE;
            case UNKNOWN_SESSION -> StatusCodes.NOT_FOUND;
            case INTERNAL -> StatusCodes.INTERNAL_SERVER_ERROR;
            default -> StatusCodes.BAD_REQUEST;
        };
    }
}
