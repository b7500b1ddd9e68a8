package dev.wslab.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.state.LocalMemberCounts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.wslab.server.Eventually;
import java.util.ArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceTest {
    /** A timer that holds what is scheduled until the test runs it: the test decides when the interval is over. */
    static final class ManualTimer extends ScheduledThreadPoolExecutor {
        final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            scheduled.add(task);
            return null;
        }

        /** Runs what was scheduled so far, as the interval's end would. */
        void intervalEnds() {
            List<Runnable> due = new ArrayList<>(scheduled);
            scheduled.clear();
            due.forEach(Runnable::run);
        }
    }

    final ManualTimer timer = new ManualTimer();
    final LocalMemberCounts state = new LocalMemberCounts();
    final List<String> published = new CopyOnWriteArrayList<>();
    final LocalBroker broker = new LocalBroker("node-a", 10, Clock.systemUTC());

    {
        broker.start((room, event) -> {
            byte[] frame = new byte[event.frame().remaining()];
            event.frame().duplicate().get(frame);
            published.add(new String(frame, StandardCharsets.UTF_8));
        });
    }
    final Presence presence = new Presence(broker, state, new Codec(), timer, Duration.ofMillis(100));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aBurstOfJoinsIsAnnouncedOnceWithTheFinalCount() {
        broker.subscribe("lobby").toCompletableFuture().join();
        for (int i = 0; i < 500; i++) {
            state.memberJoined("lobby").toCompletableFuture().join();
            presence.changed("lobby");
        }
        assertThat(timer.scheduled).as("one announcement for the whole burst").hasSize(1);
        timer.intervalEnds();
        Eventually.until(() -> !published.isEmpty(), Duration.ofSeconds(5), "the announcement");
        assertThat(published).containsExactly("{\"type\":\"presence\",\"room\":\"lobby\",\"members\":500}");
    }

    @Test
    void aChangeAfterAnAnnouncementIsAnnouncedToo() {
        broker.subscribe("lobby").toCompletableFuture().join();
        state.memberJoined("lobby").toCompletableFuture().join();
        presence.changed("lobby");
        timer.intervalEnds();
        Eventually.until(() -> published.size() == 1, Duration.ofSeconds(5), "the first announcement");
        state.memberLeft("lobby").toCompletableFuture().join();
        presence.changed("lobby");
        assertThat(timer.scheduled).as("a change after the announcement schedules another").hasSize(1);
        timer.intervalEnds();
        Eventually.until(() -> published.size() == 2, Duration.ofSeconds(5), "the second announcement");
        assertThat(published).containsExactly("{\"type\":\"presence\",\"room\":\"lobby\",\"members\":1}",
                "{\"type\":\"presence\",\"room\":\"lobby\",\"members\":0}");
    }
}
