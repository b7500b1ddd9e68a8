package dev.wslab.server.http;

import dev.wslab.server.protocol.Codec;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Operator endpoints on their own listener, bound to loopback and never proxied by HAProxy: a
 * client of the lab cannot drain a node.
 *
 * <ul>
 *   <li>{@code POST /admin/drain?graceMs=N} — refuse new sockets (so {@code /health} turns 503 and
 *       HAProxy stops sending clients), then after the grace period close every socket with 1001.
 *   <li>{@code POST /admin/undrain} — accept sockets again.
 *   <li>{@code GET /health} — the same health as the public listener.
 * </ul>
 */
public final class AdminApi {
    private final Responses responses;
    private final Consumer<Duration> drain;
    private final Runnable undrain;
    private final Supplier<Health> health;
    private final Duration defaultGrace;

    public AdminApi(Codec codec, Consumer<Duration> drain, Runnable undrain, Supplier<Health> health,
            Duration defaultGrace) {
        this.responses = new Responses(codec);
        this.drain = drain;
        this.undrain = undrain;
        this.health = health;
        this.defaultGrace = defaultGrace;
    }

    public HttpHandler routes() {
        return Handlers.routing()
                .post("/admin/drain", this::drain)
                .post("/admin/undrain", this::undrain)
                .get("/health", ex -> HttpApi.health(ex, responses, health.get()));
    }

    private void drain(HttpServerExchange exchange) {
        Duration grace = defaultGrace;
        String param = exchange.getQueryParameters().containsKey("graceMs")
                ? exchange.getQueryParameters().get("graceMs").peekFirst() : null;
        if (param != null) {
            try {
                grace = Duration.ofMillis(Math.max(0, Long.parseLong(param)));
            } catch (NumberFormatException e) {
                responses.json(exchange, StatusCodes.BAD_REQUEST, Map.of("error", "graceMs must be a whole number"));
                return;
            }
        }
        drain.accept(grace);
        responses.json(exchange, StatusCodes.ACCEPTED, Map.of("draining", true, "closeAfterMs", grace.toMillis()));
    }

    private void undrain(HttpServerExchange exchange) {
        undrain.run();
        responses.json(exchange, StatusCodes.OK, Map.of("draining", false));
    }
}
