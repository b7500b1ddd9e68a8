package dev.wslab.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.protocol.Codec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker promises, run against each implementation: the in-memory one as a unit test,
 * the Redis one against a real redis-server.
 */
public abstract class BrokerContract {
    protected static final Duration WAIT = Duration.ofSeconds(5);
    protected final Codec codec = new Codec();
    protected final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
    protected Broker broker;

    /** A broker for node "node-a" that reports every event it receives into {@code listener}. */
    protected abstract Broker create(Broker.Listener listener) throws Exception;

    @BeforeEach
    void createBroker() throws Exception {
        broker = create((room, envelope) -> received.add(envelope));
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    protected Envelope next() throws InterruptedException {
        Envelope e = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("an event within " + WAIT).isNotNull();
        return e;
    }

    protected long publish(String room, String text) {
        return broker.publishNumbered(room, Broker.Number.SEQ,
                        codec.messageTemplate(room, codec.object().put("text", text), "node-a", 1L))
                .toCompletableFuture().join();
    }

    @Test
    void theBusKeepsEachRoomsNumbersAndItsHistoryInSeqOrder() {
        long first = publish("kept", "a");
        publish("kept", "b");
        publish("kept", "c");
        broker.publishNumbered("kept", Broker.Number.COUNTER, codec.counterTemplate("kept", "node-a")).toCompletableFuture().join();
        Broker.Numbers numbers = broker.numbers("kept").toCompletableFuture().join();
        assertThat(numbers).isEqualTo(new Broker.Numbers(first + 2, 1));
        assertThat(broker.numbers("never-used").toCompletableFuture().join()).isEqualTo(new Broker.Numbers(0, 0));

        Replay after = broker.history("kept", first, 10).toCompletableFuture().join();
        assertThat(after.firstSeq()).isEqualTo(first + 1);
        assertThat(after.frames()).hasSize(2);
        assertThat(new String(after.frames().get(0), java.nio.charset.StandardCharsets.UTF_8)).contains("\"text\":\"b\"");
        assertThat(new String(after.frames().get(1), java.nio.charset.StandardCharsets.UTF_8)).contains("\"text\":\"c\"");
        assertThat(broker.history("kept", first, 1).toCompletableFuture().join().frames()).as("at most the limit").hasSize(1);
        assertThat(broker.history("kept", first + 2, 10).toCompletableFuture().join()).isEqualTo(Replay.EMPTY);
    }

    @Test
    void subscriberReceivesEventsInSeqOrderWithTheSeqInFrameAndHeader() throws Exception {
        broker.subscribe("lobby").toCompletableFuture().join();
        List<Long> seqs = List.of(publish("lobby", "a"), publish("lobby", "b"), publish("lobby", "c"));
        assertThat(seqs).containsExactly(seqs.get(0), seqs.get(0) + 1, seqs.get(0) + 2);
        for (long seq : seqs) {
            Envelope e = next();
            assertThat(e.seq()).isEqualTo(seq);
            assertThat(e.origin()).isEqualTo("node-a");
            assertThat(e.frameText()).contains("\"seq\":" + seq + ",");
        }
    }

    @Test
    void countersAndSeqsAreSeparatePerRoom() {
        long seq = publish("room-1", "x");
        long counter1 = broker.publishNumbered("room-1", Broker.Number.COUNTER, codec.counterTemplate("room-1", "node-a"))
                .toCompletableFuture().join();
        long counter2 = broker.publishNumbered("room-1", Broker.Number.COUNTER, codec.counterTemplate("room-1", "node-a"))
                .toCompletableFuture().join();
        long otherRoom = publish("room-2", "y");
        assertThat(counter2).isEqualTo(counter1 + 1);
        assertThat(otherRoom).isEqualTo(1);
        assertThat(seq).isEqualTo(1);
    }

    @Test
    void unsubscribedRoomsAreNotDelivered() throws Exception {
        broker.subscribe("a").toCompletableFuture().join();
        broker.unsubscribe("a").toCompletableFuture().join();
        broker.subscribe("b").toCompletableFuture().join();
        publish("a", "not for us");
        publish("b", "for us");
        assertThat(next().frameText()).contains("for us").doesNotContain("not for us");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void unnumberedEventsCarrySeqZero() throws Exception {
        broker.subscribe("lobby").toCompletableFuture().join();
        broker.publish("lobby", "{\"type\":\"presence\",\"room\":\"lobby\",\"members\":3}".getBytes())
                .toCompletableFuture().join();
        Envelope e = next();
        assertThat(e.seq()).isZero();
        assertThat(e.frameText()).isEqualTo("{\"type\":\"presence\",\"room\":\"lobby\",\"members\":3}");
    }

    @Test
    void theListenerIsToldOfEachConfirmedSubscription() throws Exception {
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        Broker told = create(subscriptionsInto(subscribed));
        told.subscribe("first").toCompletableFuture().join();
        assertThat(subscribed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("first");
    }

    /** A listener that takes in the room of each subscription the bus confirms, and nothing else. */
    protected static Broker.Listener subscriptionsInto(BlockingQueue<String> subscribed) {
        return new Broker.Listener() {
            @Override
            public void onRoomEvent(String room, Envelope envelope) {
            }

            @Override
            public void onSubscribed(String room) {
                subscribed.add(room);
            }
        };
    }
}
