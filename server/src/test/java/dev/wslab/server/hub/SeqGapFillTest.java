package dev.wslab.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.protocol.Codec;
import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.Envelope;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.broker.LocalBroker;
import dev.wslab.server.protocol.FrameTemplate;
import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeqGapFillTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<String> handedOn = new ArrayList<>();
    final Broker.Listener recorder = (room, e) -> handedOn.add(e.seq() + ":" + e.frameText());

    /** A bus whose room holds {@code messages} numbered frames "m1", "m2", … (the last {@code historyLength} kept). */
    private static LocalBroker historyOf(String room, int messages, int historyLength) {
        LocalBroker broker = new LocalBroker("node-1", historyLength, Clock.systemUTC());
        for (int i = 1; i <= messages; i++) {
            broker.publishNumbered(room, Broker.Number.SEQ, new FrameTemplate("m", ""));
        }
        return broker;
    }

    private static Envelope live(long seq) {
        return new Envelope("node-1", 1, seq, ByteBuffer.wrap(("m" + seq).getBytes(StandardCharsets.UTF_8)));
    }

    private double gaps(String outcome) {
        var counter = registry.find("wslab.bus.gaps").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void messagesMissingFromTheLiveStreamAreFilledFromTheHistoryInOrder() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 6, 100), recorder, new Metrics(registry), new Codec());
        for (long seq : new long[] {1, 2, 5, 6}) {
            fill.onRoomEvent("r", live(seq));
        }
        assertThat(handedOn).containsExactly("1:m1", "2:m2", "3:m3", "4:m4", "5:m5", "6:m6");
        assertThat(gaps("filled")).isEqualTo(1);
    }

    @Test
    void aGapTheHistoryNoLongerHoldsGoesOnCountedAsUnfilled() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 5, 1), recorder, new Metrics(registry), new Codec());
        for (long seq : new long[] {1, 2, 5}) {
            fill.onRoomEvent("r", live(seq));
        }
        assertThat(handedOn).containsExactly("1:m1", "2:m2", "0:{\"type\":\"gap\",\"room\":\"r\",\"from\":3,\"to\":4}", "5:m5");
        assertThat(gaps("unfilled")).isEqualTo(1);
    }

    @Test
    void aJumpWiderThanAnyFillIsSaidToTheMembersBeforeTheNextMessageAndCountedUnfilled() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 2, 100), recorder, new Metrics(registry), new Codec());
        long after = 2 + SeqGapFill.MAX_FILL + 10_000_000;
        fill.onRoomEvent("r", live(2));
        fill.onRoomEvent("r", live(after));
        fill.onRoomEvent("r", live(after + 1));
        assertThat(handedOn).containsExactly("2:m2", "0:{\"type\":\"gap\",\"room\":\"r\",\"from\":3,\"to\":" + (after - 1) + "}",
                after + ":m" + after, (after + 1) + ":m" + (after + 1));
        assertThat(gaps("unfilled")).isEqualTo(1);
        assertThat(gaps("filled")).isZero();
    }

    @Test
    void ofAGapWiderThanAFillTheLastSeqsAreFilledAndTheFirstOnesSaidGiven() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 1500, 2000), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(2));
        fill.onRoomEvent("r", live(1500));
        long firstFilled = 1499 - SeqGapFill.MAX_FILL + 1;
        assertThat(handedOn).hasSize(3 + SeqGapFill.MAX_FILL);
        assertThat(handedOn.subList(0, 3)).containsExactly("2:m2",
                "0:{\"type\":\"gap\",\"room\":\"r\",\"from\":3,\"to\":" + (firstFilled - 1) + "}", firstFilled + ":m" + firstFilled);
        assertThat(handedOn.subList(handedOn.size() - 2, handedOn.size())).containsExactly("1499:m1499", "1500:m1500");
        assertThat(gaps("unfilled")).isEqualTo(1);
    }

    @Test
    void afterTheRoomWasUnsubscribedTheNextEventStartsAFreshStreamWithoutAFill() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 9, 100), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(2));
        fill.forget("r");
        fill.onRoomEvent("r", live(9));
        assertThat(handedOn).containsExactly("2:m2", "9:m9");
        assertThat(gaps("filled") + gaps("unfilled")).isZero();
    }

    @Test
    void unnumberedEventsDuplicatesAndTheFirstEventPassStraightThrough() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 9, 100), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(7));
        fill.onRoomEvent("r", live(7));
        fill.onRoomEvent("r", new Envelope("node-1", 1, 0, ByteBuffer.wrap("members".getBytes(StandardCharsets.UTF_8))));
        fill.onRoomEvent("r", live(8));
        assertThat(handedOn).containsExactly("7:m7", "7:m7", "0:members", "8:m8");
        assertThat(gaps("filled") + gaps("unfilled")).isZero();
    }

    @Test
    void aJumpAfterAQuietJoinIsSaidToTheMembersThoughNoLiveEventCameBefore() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 2, 100), recorder, new Metrics(registry), new Codec());
        long after = 2 + SeqGapFill.MAX_FILL + 10_000_000;
        fill.joined("r", 2);
        fill.onRoomEvent("r", live(after));
        assertThat(handedOn).containsExactly("0:{\"type\":\"gap\",\"room\":\"r\",\"from\":3,\"to\":" + (after - 1) + "}",
                after + ":m" + after);
        assertThat(gaps("unfilled")).isEqualTo(1);
    }

    @Test
    void aJoinAheadOfLiveEventsStillOnTheirWayLetsThemThroughUnfilled() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 6, 100), recorder, new Metrics(registry), new Codec());
        fill.joined("r", 5);
        for (long seq : new long[] {4, 5, 6}) {
            fill.onRoomEvent("r", live(seq));
        }
        assertThat(handedOn).containsExactly("4:m4", "5:m5", "6:m6");
        assertThat(gaps("filled") + gaps("unfilled")).isZero();
    }

    @Test
    void aJoinDoesNotMoveAStreamUnderWaySoAnEventLostBeforeItIsStillFilled() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 6, 100), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(3));
        fill.joined("r", 5);
        fill.onRoomEvent("r", live(5));
        assertThat(handedOn).containsExactly("3:m3", "4:m4", "5:m5");
        assertThat(gaps("filled")).isEqualTo(1);
    }

    @Test
    void aSubscriptionMadeAgainFillsWhatWasPublishedMeanwhileThoughNoLaterEventCame() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 4, 100), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(1));
        fill.onRoomEvent("r", live(2));
        fill.onSubscribed("r");
        assertThat(handedOn).containsExactly("1:m1", "2:m2", "3:m3", "4:m4");
        assertThat(gaps("filled")).isEqualTo(1);
        fill.onSubscribed("r");
        assertThat(handedOn).as("nothing more was published").hasSize(4);
    }

    @Test
    void aFirstSubscriptionHandsNothingOnForTheJoinReplaysTheRoom() {
        SeqGapFill fill = new SeqGapFill(historyOf("r", 4, 100), recorder, new Metrics(registry), new Codec());
        fill.onSubscribed("r");
        fill.onRoomEvent("r", live(5));
        assertThat(handedOn).containsExactly("5:m5");
        assertThat(gaps("filled") + gaps("unfilled")).isZero();
    }

    @Test
    void aSubscriptionMadeAgainDuringAFillIsCaughtUpToOnceTheFillIsDone() {
        List<Runnable> reads = new ArrayList<>();
        SeqGapFill fill = new SeqGapFill(heldHistory(historyOf("r", 8, 100), reads), recorder, new Metrics(registry), new Codec());
        fill.onRoomEvent("r", live(1));
        fill.onRoomEvent("r", live(3));
        fill.onSubscribed("r");
        assertThat(reads).as("the fill of seq 2 in flight, the catch-up waiting for it").hasSize(1);
        reads.remove(0).run();
        assertThat(handedOn).containsExactly("1:m1", "2:m2", "3:m3");
        assertThat(reads).as("the catch-up's read").hasSize(1);
        reads.remove(0).run();
        assertThat(handedOn).containsExactly("1:m1", "2:m2", "3:m3", "4:m4", "5:m5", "6:m6", "7:m7", "8:m8");
    }

    /** The bus with each history read held until its runnable in {@code reads} runs: a fill in flight. */
    private static Broker heldHistory(LocalBroker bus, List<Runnable> reads) {
        return (Broker) java.lang.reflect.Proxy.newProxyInstance(Broker.class.getClassLoader(), new Class<?>[] {Broker.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(bus, args);
                    if (!method.getName().equals("history")) {
                        return result;
                    }
                    java.util.concurrent.CompletableFuture<Object> held = new java.util.concurrent.CompletableFuture<>();
                    reads.add(() -> ((java.util.concurrent.CompletionStage<?>) result).whenComplete((r, e) -> held.complete(r)));
                    return held;
                });
    }
}
