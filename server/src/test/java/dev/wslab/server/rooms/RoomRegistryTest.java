package dev.wslab.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.state.LocalRoomState;
import dev.wslab.server.ws.Connection;
import dev.wslab.server.ws.Lb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {
    private final List<String> delivered = new ArrayList<>();
    private final LocalBroker broker =
            new LocalBroker("node-1", new LocalRoomState(100), (room, e) -> delivered.add(room), Clock.systemUTC());
    private final RoomRegistry rooms = new RoomRegistry(broker, room -> { });
    private final Metrics metrics = new Metrics(new SimpleMeterRegistry());
    private final Codec codec = new Codec();

    private Connection connection(String id) {
        // The registry never touches the socket, so none is needed here.
        return new Connection(id, Lb.DIRECT, dev.wslab.server.auth.Identity.guest(), null, 8, metrics);
    }

    private void publish(String room) {
        broker.publishNumbered(room, Broker.Number.SEQ, codec.messageTemplate(room, codec.object(), "node-1", 0));
    }

    @Test
    void theFirstLocalMemberSubscribesTheRoomAndTheLastUnsubscribesIt() {
        Connection a = connection("a");
        Connection b = connection("b");
        publish("lobby");
        assertThat(delivered).isEmpty();

        rooms.join("lobby", a).toCompletableFuture().join();
        rooms.join("lobby", b).toCompletableFuture().join();
        publish("lobby");
        assertThat(delivered).containsExactly("lobby");

        assertThat(rooms.leave("lobby", a)).isTrue();
        publish("lobby");
        assertThat(delivered).hasSize(2);

        assertThat(rooms.leave("lobby", b)).isTrue();
        publish("lobby");
        assertThat(delivered).hasSize(2);
        assertThat(rooms.size()).isZero();
    }

    @Test
    void membersAreTrackedPerRoom() {
        Connection a = connection("a");
        Connection b = connection("b");
        rooms.join("one", a);
        rooms.join("two", a);
        rooms.join("two", b);
        assertThat(rooms.members("one")).containsExactly(a);
        assertThat(rooms.members("two")).containsExactlyInAnyOrder(a, b);
        assertThat(rooms.members("three")).isEmpty();
    }

    @Test
    void leavingARoomOneIsNotInChangesNothing() {
        Connection a = connection("a");
        rooms.join("one", a);
        assertThat(rooms.leave("one", connection("stranger"))).isFalse();
        assertThat(rooms.leave("nowhere", a)).isFalse();
        assertThat(rooms.members("one")).containsExactly(a);
    }
}
