package dev.wslab.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.ClientRegistry;
import dev.wslab.server.client.RateLimit;
import dev.wslab.server.hub.Hub;
import dev.wslab.server.hub.RecordingWire;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.state.LocalMemberCounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.XnioWorker;

/** A client's commands through the dispatcher, on the in-process bus: what each is answered. */
class DispatcherTest {
    private final XnioWorker worker = RecordingWire.worker();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Metrics metrics = new Metrics(registry);
    private final Codec codec = new Codec();
    private final LocalBroker broker = new LocalBroker("node-1", 100, Clock.systemUTC());
    private final LocalMemberCounts state = new LocalMemberCounts();
    private final Hub hub = new Hub(broker, metrics, Clock.systemUTC());
    private final ClientRegistry clients = new ClientRegistry();
    private final RoomCommands commands = new RoomCommands("node-1", codec, broker, state, hub,
            new Presence(broker, state, codec, timer, Duration.ofMillis(50)), metrics, Clock.systemUTC(), 2, 100);
    private final Dispatcher dispatcher = new Dispatcher("node-1", 5, codec, commands, clients, metrics);

    {
        broker.start(hub.listener());
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
        timer.shutdownNow();
    }

    private record Opened(Client client, RecordingWire wire, RateLimit publishes) {}

    private Opened open(String id) {
        RecordingWire[] wire = new RecordingWire[1];
        Client client = RecordingWire.client(id, worker, 64, wire);
        dispatcher.opened(client);
        return new Opened(client, wire[0], dispatcher.publishLimit());
    }

    private void send(Opened c, String text) {
        dispatcher.received(c.client(), c.publishes(), text);
    }

    /** The frame that contains {@code part}, waiting for it to be written. */
    private static String await(Opened c, String part) {
        Eventually.until(() -> c.wire().frames().stream().anyMatch(f -> f.contains(part)), Duration.ofSeconds(5),
                "a frame with " + part);
        return c.wire().frames().stream().filter(f -> f.contains(part)).findFirst().orElseThrow();
    }

    private double errors(String code) {
        var counter = registry.find("wslab.errors").tag("code", code).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aNewClientIsCountedAndWelcomedWithItsNodeAndSession() {
        Opened c = open("s-1");
        assertThat(await(c, "welcome")).contains("\"node\":\"node-1\"").contains("\"session\":\"s-1\"");
        assertThat(clients.size()).isEqualTo(1);
    }

    @Test
    void aFrameThatIsNotJsonIsAnsweredWithAnErrorAndCounted() {
        Opened c = open("s-1");
        send(c, "{not json");
        assertThat(await(c, "\"error\"")).contains("\"code\":\"bad_json\"");
        assertThat(errors("bad_json")).isEqualTo(1);
    }

    @Test
    void aJoinIsAnsweredJoinedAndAPublishReachesTheMemberWithItsSeq() {
        Opened c = open("s-1");
        send(c, "{\"type\":\"join\",\"room\":\"r\",\"id\":\"j\"}");
        assertThat(await(c, "\"joined\"")).contains("\"room\":\"r\"").contains("\"seq\":0");
        send(c, "{\"type\":\"publish\",\"room\":\"r\",\"id\":\"p\",\"body\":{\"text\":\"hi\"}}");
        assertThat(await(c, "\"ack\"")).contains("\"seq\":1");
        assertThat(await(c, "\"message\"")).contains("\"seq\":1").contains("\"text\":\"hi\"");
    }

    @Test
    void publishesPastTheRateLimitAreAnsweredRateLimitedAndNotPublished() {
        Opened c = open("s-1");
        // 5 per second, bursts of 10: the eleventh at once is over.
        for (int i = 0; i < 11; i++) {
            send(c, "{\"type\":\"publish\",\"room\":\"r\",\"id\":\"p" + i + "\",\"body\":{}}");
        }
        assertThat(await(c, "rate_limited")).contains("\"id\":\"p10\"");
        assertThat(broker.numbers("r").toCompletableFuture().join().seq()).isEqualTo(10);
    }

    @Test
    void aClientInAsManyRoomsAsItMayIsRefusedAThirdAndLeavesThemAllWhenClosed() {
        Opened c = open("s-1");
        send(c, "{\"type\":\"join\",\"room\":\"a\"}");
        send(c, "{\"type\":\"join\",\"room\":\"b\"}");
        send(c, "{\"type\":\"join\",\"room\":\"c\",\"id\":\"third\"}");
        assertThat(await(c, "too_many_rooms")).contains("\"id\":\"third\"");
        Eventually.until(() -> state.members("b").toCompletableFuture().join() == 1, Duration.ofSeconds(5), "b counts its member");
        dispatcher.closed(c.client(), 1000);
        assertThat(clients.size()).isZero();
        assertThat(hub.size()).isZero();
        for (String room : List.of("a", "b")) {
            assertThat(state.members(room).toCompletableFuture().join()).as(room + "'s members").isZero();
        }
    }
}
