package dev.wslab.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.protocol.Codec;
import dev.wslab.server.Eventually;
import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.client.Client;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.FrameTemplate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.XnioWorker;

/** Membership, the join buffer, the duplicate-seq drop and the fan-out, on the in-process bus. */
class HubTest {
    private final XnioWorker worker = RecordingWire.worker();
    private final LocalBroker broker = new LocalBroker("node-1", 100, Clock.systemUTC());
    private final Hub hub = new Hub(broker, new Metrics(new SimpleMeterRegistry()), Clock.systemUTC(), new Codec());

    {
        broker.start(hub.listener());
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private record Joined(Client client, RecordingWire wire) {}

    private Joined client(String id) {
        RecordingWire[] wire = new RecordingWire[1];
        return new Joined(RecordingWire.client(id, worker, 64, wire), wire[0]);
    }

    /** A numbered message whose frame is "m" + its seq. */
    private void publish(String room) {
        broker.publishNumbered(room, Broker.Number.SEQ, new FrameTemplate("m", "")).toCompletableFuture().join();
    }

    private void join(String room, Joined c) {
        Hub.Joining joining = hub.join(room, c.client());
        joining.subscribed().toCompletableFuture().join();
        // The room's seq at the join, as the node reads it with the snapshot.
        long seq = broker.numbers(room).toCompletableFuture().join().seq();
        hub.joinCompleted(joining, "joined".getBytes(StandardCharsets.UTF_8), seq, List.of());
    }

    private static List<String> await(Joined c, int frames) {
        Eventually.until(() -> c.wire().frames().size() >= frames, Duration.ofSeconds(5), frames + " frames written");
        return c.wire().frames();
    }

    @Test
    void theFirstLocalMemberSubscribesTheRoomAndOnlyMembersReceiveItsMessages() {
        Joined a = client("a");
        Joined b = client("b");
        publish("lobby");
        join("lobby", a);
        join("lobby", b);
        assertThat(hub.size()).isEqualTo(1);
        publish("lobby");
        assertThat(await(a, 2)).containsExactly("joined", "m2");
        assertThat(await(b, 2)).containsExactly("joined", "m2");

        assertThat(hub.leave("lobby", a.client())).isTrue();
        publish("lobby");
        assertThat(await(b, 3)).containsExactly("joined", "m2", "m3");
        assertThat(hub.leave("lobby", b.client())).isTrue();
        assertThat(hub.size()).as("the last member's leave unsubscribes the room").isZero();
        publish("lobby");
        join("lobby", b);
        publish("lobby");
        // m3 was the last a saw: nothing reached it after its leave, only b's new membership gets m5.
        assertThat(await(b, 5)).containsExactly("joined", "m2", "m3", "joined", "m5");
        assertThat(a.wire().frames()).containsExactly("joined", "m2");
    }

    @Test
    void eventsArrivingWhileAJoinIsUnderWayFollowTheJoinedEventInOrder() {
        Joined a = client("a");
        Hub.Joining joining = hub.join("r", a.client());
        joining.subscribed().toCompletableFuture().join();
        publish("r");
        broker.publish("r", "presence".getBytes(StandardCharsets.UTF_8));
        publish("r");
        assertThat(a.wire().frames()).as("held back until the join completes").isEmpty();
        hub.joinCompleted(joining, "joined".getBytes(StandardCharsets.UTF_8), 0, List.of());
        assertThat(await(a, 4)).containsExactly("joined", "m1", "presence", "m2");
    }

    @Test
    void aMessageTheResumeAlreadyReplayedIsSentOnceAndLaterOnesFollow() {
        Joined a = client("a");
        for (int i = 0; i < 3; i++) {
            publish("r");
        }
        Hub.Joining joining = hub.join("r", a.client());
        joining.subscribed().toCompletableFuture().join();
        publish("r"); // m4 arrives live while the join reads the snapshot (seq 4) and the history
        hub.joinCompleted(joining, "joined".getBytes(StandardCharsets.UTF_8), 4,
                List.of(bytes("m2"), bytes("m3"), bytes("m4")));
        publish("r");
        assertThat(await(a, 5)).containsExactly("joined", "m2", "m3", "m4", "m5");
    }

    @Test
    void aLateAnswerToAJoinTheClientLeftAndMadeAgainDoesNotCompleteTheNewMembership() {
        Joined a = client("a");
        Hub.Joining first = hub.join("r", a.client());
        first.subscribed().toCompletableFuture().join();
        assertThat(hub.leave("r", a.client())).isTrue();
        Hub.Joining second = hub.join("r", a.client());
        second.subscribed().toCompletableFuture().join();
        publish("r");
        hub.joinCompleted(first, bytes("joined-1"), 0, List.of());
        hub.joinFailed(first);
        assertThat(hub.isIn(a.client(), "r")).as("the first join's failure leaves the second membership alone").isTrue();
        // m1 waits for the second join: the first's answer goes out, but completes nothing.
        assertThat(await(a, 1)).containsExactly("joined-1");
        hub.joinCompleted(second, bytes("joined-2"), 0, List.of());
        assertThat(await(a, 3)).containsExactly("joined-1", "joined-2", "m1");
    }

    @Test
    void aClosedClientLeavesEveryRoomItWasIn() {
        Joined a = client("a");
        Joined b = client("b");
        join("one", a);
        join("two", a);
        join("two", b);
        assertThat(hub.roomCount(a.client())).isEqualTo(2);
        assertThat(hub.isIn(a.client(), "one")).isTrue();
        assertThat(hub.leaveAll(a.client())).containsExactlyInAnyOrder("one", "two");
        assertThat(hub.roomCount(a.client())).isZero();
        assertThat(hub.size()).as("room two keeps its other member").isEqualTo(1);
        assertThat(hub.isIn(b.client(), "two")).isTrue();
    }

    @Test
    void leavingARoomOneIsNotInChangesNothing() {
        Joined a = client("a");
        join("one", a);
        assertThat(hub.leave("one", client("stranger").client())).isFalse();
        assertThat(hub.leave("nowhere", a.client())).isFalse();
        assertThat(hub.isIn(a.client(), "one")).isTrue();
        assertThat(hub.size()).isEqualTo(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLiveMessageWithASeqTheMemberWasAlreadySentIsDroppedAndTheNextOneArrives() {
        Joined a = client("a");
        join("r", a);
        publish("r");
        assertThat(await(a, 2)).containsExactly("joined", "m1");
        // The bus and the history race after a resume: seq 1 again, as if it arrived twice.
        hub.listener().onRoomEvent("r", dev.wslab.server.broker.Envelope.parse(
                dev.wslab.server.broker.Envelope.encode("node-2", 1, 1, bytes("m1-again"))));
        publish("r");
        assertThat(await(a, 3)).containsExactly("joined", "m1", "m2");
    }

    @Test
    void aMemberThatLeftIsNoLongerInTheRoomAndTakesNoEventAlreadyOnItsWay() {
        Joined a = client("a");
        join("r", a);
        assertThat(hub.isIn(a.client(), "r")).isTrue();
        assertThat(hub.leave("r", a.client())).isTrue();
        assertThat(hub.isIn(a.client(), "r")).isFalse();
        assertThat(hub.leave("r", a.client())).as("a second leave finds nothing").isFalse();

        Room room = new Room(java.util.concurrent.CompletableFuture.completedFuture(null));
        Member member = room.add(a.client());
        member.completeJoin(bytes("joined"), 0, List.of());
        dev.wslab.server.broker.Envelope onItsWay = dev.wslab.server.broker.Envelope.parse(
                dev.wslab.server.broker.Envelope.encode("node-1", 1, 7, bytes("m7")));
        assertThat(room.remove(a.client(), null)).isTrue();
        assertThat(member.take(onItsWay)).as("taken after its leave").isFalse();
    }

    @Test
    void aBroadcastCountsEachDeliveryOnceAndTimesItFromThePublish() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LocalBroker bus = new LocalBroker("node-1", 100, Clock.systemUTC());
        // The hub's clock runs 5 s ahead of the publisher's: the message reaches it 5 s old.
        Hub late = new Hub(bus, new Metrics(registry), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)), new Codec());
        bus.start(late.listener());
        Joined a = client("a");
        Joined b = client("b");
        for (Joined c : List.of(a, b)) {
            Hub.Joining joining = late.join("r", c.client());
            joining.subscribed().toCompletableFuture().join();
            late.joinCompleted(joining, bytes("joined"), 0, List.of());
        }
        bus.publishNumbered("r", Broker.Number.SEQ, new FrameTemplate("m", "")).toCompletableFuture().join();
        assertThat(await(a, 2)).containsExactly("joined", "m1");
        assertThat(await(b, 2)).containsExactly("joined", "m1");
        Eventually.until(() -> registry.find(Metrics.MESSAGES_DELIVERED).counter().count() == 2, Duration.ofSeconds(5),
                "both deliveries counted");
        // Registered for every policy up front: those that timed something.
        var delivery = registry.find(Metrics.DELIVERY_LATENCY).timers().stream().filter(t -> t.count() > 0).toList();
        assertThat(delivery.stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum()).as("one per recipient").isEqualTo(2);
        delivery.forEach(t -> assertThat(t.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(5_000.0, 6_000.0));
        var handOff = registry.find(Metrics.BROADCAST_LATENCY).timers();
        // One per I/O thread the members are on, and per policy among them: here one policy.
        assertThat(handOff).hasSize(1);
        assertThat(handOff.iterator().next().count()).isBetween(1L, 2L);
        assertThat(handOff.iterator().next().max(java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(5_000.0, 6_000.0);
        var fanOut = registry.find(Metrics.FANOUT_RECIPIENTS).summary();
        assertThat(fanOut.count()).isEqualTo(1);
        assertThat(fanOut.totalAmount()).isEqualTo(2);
    }

    @Test
    void aLeaveLetsGoOfTheMemberInTheRoomsSnapshotWithoutWaitingForAnEvent() {
        Joined a = client("a");
        Joined b = client("b");
        Room room = new Room(java.util.concurrent.CompletableFuture.completedFuture(null));
        Member leaving = room.add(a.client());
        room.add(b.client());
        room.groups();
        assertThat(room.snapshotHolds(leaving)).isTrue();
        room.remove(a.client(), null);
        assertThat(room.snapshotHolds(leaving)).as("the departed socket is not held by a quiet room").isFalse();
        assertThat(java.util.Arrays.stream(room.groups()).flatMap(g -> java.util.Arrays.stream(g.members())).map(Member::client))
                .containsExactly(b.client());
    }
}
