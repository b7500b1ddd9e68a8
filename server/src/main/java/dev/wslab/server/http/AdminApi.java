package dev.wslab.server.http;

import dev.wslab.server.balance.DrainPlan;
import dev.wslab.server.protocol.Codec;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Operator endpoints on their own listener, bound to loopback and never proxied by HAProxy: a
 * client of the lab cannot drain a node.
 *
 * <ul>
 *   <li>{@code POST /admin/drain?graceMs=N} — refuse new sockets (so {@code /health} turns 503 and
 *       HAProxy stops sending clients), then after the grace period close every socket with 1001.
 *       {@code strategy=batches&batchSize=N&intervalMs=M}, {@code strategy=spread&windowMs=W} and
 *       {@code strategy=lb-only} (close nothing) change how the sockets are closed.
 *   <li>{@code POST /admin/undrain} — accept sockets again.
 *   <li>{@code GET /admin/load} — connections, outbound queue, heap, the agent weight and the spread.
 *   <li>{@code GET /admin/rooms/{room}} — the room's members on this node: where a room lives, which
 *       the comparison asks before it kills the node of the busiest room.
 *   <li>{@code POST /admin/gc} — a full collection, then what the process holds: heap used after it,
 *       open descriptors, live threads, connections. What {@code ./lab soak} samples for leaks.
 *   <li>{@code GET /health} — the same health as the public listener.
 * </ul>
 */
public final class AdminApi {
    private final Responses responses;
    private final Consumer<DrainPlan> drain;
    private final Runnable undrain;
    private final Supplier<Health> health;
    private final Supplier<Map<String, Object>> load;
    private final Duration defaultGrace;
    private final Resources resources;
    private final ToIntFunction<String> roomMembers;

    public AdminApi(Codec codec, Consumer<DrainPlan> drain, Runnable undrain, Supplier<Health> health,
            Supplier<Map<String, Object>> load, Duration defaultGrace, Resources resources, ToIntFunction<String> roomMembers) {
        this.resources = resources;
        this.roomMembers = roomMembers;
        this.load = load;
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
                .get("/health", ex -> HttpApi.health(ex, responses, health.get()))
                .get("/admin/load", ex -> responses.json(ex, StatusCodes.OK, load.get()))
                .get("/admin/rooms/{room}", ex -> {
                    String room = param(ex, "room", "");
                    responses.json(ex, StatusCodes.OK, Map.of("room", room, "members", roomMembers.applyAsInt(room)));
                })
                .post("/admin/gc", ex -> ex.dispatch(() -> responses.json(ex, StatusCodes.OK, resources.afterFullGc())));
    }

    private void drain(HttpServerExchange exchange) {
        DrainPlan plan;
        try {
            plan = new DrainPlan(DrainPlan.Strategy.parse(param(exchange, "strategy", "all")),
                    Duration.ofMillis(number(exchange, "graceMs", defaultGrace.toMillis())),
                    (int) number(exchange, "batchSize", 100),
                    Duration.ofMillis(number(exchange, "intervalMs", 1000)),
                    Duration.ofMillis(number(exchange, "windowMs", 10_000)));
        } catch (IllegalArgumentException e) {
            responses.json(exchange, StatusCodes.BAD_REQUEST, Map.of("error", e.getMessage()));
            return;
        }
        drain.accept(plan);
        responses.json(exchange, StatusCodes.ACCEPTED, Map.of("draining", true, "strategy", plan.strategy().label(),
                "closeAfterMs", plan.grace().toMillis()));
    }

    private static String param(HttpServerExchange exchange, String name, String fallback) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.peekFirst();
    }

    private static long number(HttpServerExchange exchange, String name, long fallback) {
        String value = param(exchange, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }

    private void undrain(HttpServerExchange exchange) {
        undrain.run();
        responses.json(exchange, StatusCodes.OK, Map.of("draining", false));
    }
}
