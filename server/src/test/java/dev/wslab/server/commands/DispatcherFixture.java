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

/** A client's commands through the dispatcher, on the in-process bus: the parts and how a test drives them. */
abstract class DispatcherFixture {
    final XnioWorker worker = RecordingWire.worker();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Metrics metrics = new Metrics(registry);
    final Codec codec = new Codec();
    final LocalBroker broker = new LocalBroker("node-1", 100, Clock.systemUTC());
    final LocalMemberCounts state = new LocalMemberCounts();
    final Hub hub = new Hub(broker, metrics, Clock.systemUTC(), codec);
    final ClientRegistry clients = new ClientRegistry();
    final RoomCommands commands = new RoomCommands("node-1", codec, broker, state, hub,
            new Presence(broker, state, codec, timer, Duration.ofMillis(50)), metrics, Clock.systemUTC(), 2, 100);
    final Dispatcher dispatcher = new Dispatcher("node-1", 5, codec, commands, clients, metrics);

    {
        broker.start(hub.listener());
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
        timer.shutdownNow();
    }

    record Opened(Client client, RecordingWire wire, RateLimit publishes) {}

    Opened open(String id) {
        RecordingWire[] wire = new RecordingWire[1];
        Client client = RecordingWire.client(id, worker, 64, wire);
        dispatcher.opened(client);
        return new Opened(client, wire[0], dispatcher.publishLimit());
    }

    void send(Opened c, String text) {
        dispatcher.received(c.client(), c.publishes(), text);
    }

    /** The frame that contains {@code part}, waiting for it to be written. */
    static String await(Opened c, String part) {
        Eventually.until(() -> c.wire().frames().stream().anyMatch(f -> f.contains(part)), Duration.ofSeconds(5),
                "a frame with " + part);
        return c.wire().frames().stream().filter(f -> f.contains(part)).findFirst().orElseThrow();
    }

    double errors(String code) {
        var counter = registry.find("wslab.errors").tag("code", code).counter();
        return counter == null ? 0 : counter.count();
    }
}
