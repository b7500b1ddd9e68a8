package dev.wslab.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.state.LocalRoomState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceTest {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final LocalRoomState state = new LocalRoomState(10);
    final List<String> published = new CopyOnWriteArrayList<>();
    final LocalBroker broker = new LocalBroker("node-a", state, (room, event) -> {
        byte[] frame = new byte[event.frame().remaining()];
        event.frame().duplicate().get(frame);
        published.add(new String(frame, StandardCharsets.UTF_8));
    }, Clock.systemUTC());
    final Presence presence = new Presence(broker, state, new Codec(), timer, Duration.ofMillis(100));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aBurstOfJoinsIsAnnouncedOnceWithTheFinalCount() throws Exception {
        broker.subscribe("lobby").toCompletableFuture().join();
        for (int i = 0; i < 500; i++) {
            state.memberJoined("lobby").toCompletableFuture().join();
            presence.changed("lobby");
        }
        Thread.sleep(400);
        assertThat(published).containsExactly("{\"type\":\"presence\",\"room\":\"lobby\",\"members\":500}");
    }

    @Test
    void aChangeAfterAnAnnouncementIsAnnouncedToo() throws Exception {
        broker.subscribe("lobby").toCompletableFuture().join();
        state.memberJoined("lobby").toCompletableFuture().join();
        presence.changed("lobby");
        Thread.sleep(300);
        state.memberLeft("lobby").toCompletableFuture().join();
        presence.changed("lobby");
        Thread.sleep(300);
        assertThat(published).containsExactly("{\"type\":\"presence\",\"room\":\"lobby\",\"members\":1}",
                "{\"type\":\"presence\",\"room\":\"lobby\",\"members\":0}");
    }
}
