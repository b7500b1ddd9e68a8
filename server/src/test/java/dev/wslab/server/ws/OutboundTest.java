package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.hub.RecordingWire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.XnioWorker;

/**
 * The Outbound alone, on a sink that fills like a kernel buffer: frames leave whole and in order,
 * waiting frames leave in one gathering write, nothing follows the close frame, and every frame is
 * counted out of its client's outbound queue once it is written or failed.
 */
class OutboundTest {
    static final XnioWorker WORKER = RecordingWire.worker();

    LimitedSink sink;
    AtomicBoolean socketClosed;
    Outbound outbound;
    Client client;

    @AfterAll
    static void stopWorker() {
        WORKER.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        sink = new LimitedSink(1 << 20);
        socketClosed = new AtomicBoolean();
        outbound = new Outbound(sink, () -> socketClosed.set(true));
        client = RecordingWire.client("s", WORKER, 100, new RecordingWire[1]);
    }

    /** A frame the node sends, reserved in the client's queue first as a broadcast does. */
    void send(String frame) {
        assertThat(client.reserve()).isTrue();
        outbound.send(bytes(frame), client);
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    @Test
    void framesTheSocketTakesWholeAreWrittenAtOnceAndCountedOut() {
        send("[one]");
        send("[two]");
        assertThat(sink.text()).isEqualTo("[one][two]");
        assertThat(sink.writeCalls).isEqualTo(2);
        assertThat(client.queued()).isZero();
        assertThat(sink.resumed).as("no interest in write readiness with nothing waiting").isFalse();
    }

    @Test
    void oneViewWrittenToSeveralSocketsGivesEachTheWholeFrameEvenWhenOneTakesOnlyPart() {
        LimitedSink slow = new LimitedSink(3);
        Outbound slowOut = new Outbound(slow, () -> { });
        Frame frame = Frame.of("[shared]".getBytes(StandardCharsets.US_ASCII)).forOneThread();
        String wire = "\u0081\u0008[shared]";
        assertThat(client.reserve()).isTrue();
        slowOut.send(frame.webSocketView(), client);
        assertThat(client.reserve()).isTrue();
        outbound.send(frame.webSocketView(), client);
        assertThat(new String(sink.bytes.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo(wire);
        slow.room = 100;
        slow.handler.writeReady();
        assertThat(new String(slow.bytes.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo(wire);
        assertThat(client.queued()).isZero();
    }

    @Test
    void framesThatDoNotFitWaitAndLeaveInOneGatheringWriteWhenTheSocketCanTakeThem() {
        sink.room = 3;
        send("[one]");
        send("[two]");
        send("[three]");
        assertThat(sink.text()).isEqualTo("[on");
        assertThat(client.queued()).isEqualTo(3);
        assertThat(sink.resumed).isTrue();

        sink.room = 1 << 20;
        int callsBefore = sink.writeCalls;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[one][two][three]");
        assertThat(sink.writeCalls - callsBefore).isEqualTo(1);
        assertThat(sink.gatheringCalls).isEqualTo(1);
        assertThat(client.queued()).isZero();
        assertThat(sink.resumed).as("write interest dropped once the queue is out").isFalse();
    }

    @Test
    void nothingFollowsTheCloseFrameAndALaterFrameCountsAsFailed() {
        AtomicInteger outRuns = new AtomicInteger();
        assertThat(outbound.sendClose(bytes("<close>"), client, outRuns::incrementAndGet)).isTrue();
        send("[late]");
        assertThat(outbound.sendClose(bytes("<again>"), client, outRuns::incrementAndGet)).as("one close frame only").isFalse();
        assertThat(sink.text()).isEqualTo("<close>");
        assertThat(outRuns).as("the first close's action, once it was out").hasValue(1);
        assertThat(client.queued()).isZero();
    }

    @Test
    void aFailedWriteFailsEveryQueuedFrameAndClosesTheSocket() {
        sink.room = 2;
        send("[one]");
        send("[two]");
        sink.failure = new IOException("Broken pipe");
        sink.handler.writeReady();
        assertThat(socketClosed).isTrue();
        assertThat(client.queued()).isZero();
        send("[three]");
        assertThat(sink.text()).isEqualTo("[o");
        assertThat(client.queued()).isZero();
    }

    @Test
    void theCloseFrameWaitsForEveryFrameQueuedBeforeItAndItsActionForTheCloseFrame() {
        sink.room = 0;
        send("[move]");
        AtomicInteger outRuns = new AtomicInteger();
        outbound.sendClose(bytes("<close>"), client, outRuns::incrementAndGet);
        assertThat(sink.text()).isEmpty();
        sink.room = 10;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[move]<clo");
        assertThat(outRuns).as("not while the close frame is part-way out").hasValue(0);
        sink.room = 1 << 20;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[move]<close>");
        assertThat(outRuns).hasValue(1);
        assertThat(client.queued()).isZero();
    }

    @Test
    void whenTheSocketEndsEveryFrameStillQueuedCountsAsFailedAndSoDoLaterOnes() {
        sink.room = 2;
        send("[one]");
        send("[two]");
        assertThat(client.queued()).isEqualTo(2);
        outbound.terminated();
        assertThat(client.queued()).isZero();
        send("[three]");
        assertThat(client.queued()).isZero();
        assertThat(sink.text()).isEqualTo("[o");
    }

    @Test
    void theQueueGrowsPastItsFirstSizeAndKeepsOrderAcrossTheRingsWrap() {
        sink.room = 1;
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            send("<" + i + ">");
            expected.append("<").append(i).append(">");
            if (i == 5) {
                sink.room = 4;
                sink.handler.writeReady();
                sink.room = 0;
            }
        }
        sink.room = 1 << 20;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo(expected.toString());
        assertThat(client.queued()).isZero();
    }
}
