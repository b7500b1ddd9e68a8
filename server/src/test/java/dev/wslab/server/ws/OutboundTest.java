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
import org.xnio.conduits.WriteReadyHandler;

/**
 * The Outbound conduit alone, on a sink that fills like a kernel buffer: the node's frames and
 * Undertow's never cut into each other, waiting frames leave in one gathering write, and every frame
 * is counted out of its client's outbound queue once it is written or failed.
 */
class OutboundTest {
    static final XnioWorker WORKER = RecordingWire.worker();

    LimitedSink sink;
    AtomicBoolean closeFrameSent;
    AtomicBoolean socketClosed;
    Outbound outbound;
    /** Undertow's side: its write listener, here a test's hand. */
    AtomicInteger undertowWoken;
    Runnable onUndertowWoken;
    Client client;

    @AfterAll
    static void stopWorker() {
        WORKER.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        sink = new LimitedSink(1 << 20);
        closeFrameSent = new AtomicBoolean();
        socketClosed = new AtomicBoolean();
        outbound = new Outbound(sink, closeFrameSent::get, () -> socketClosed.set(true));
        undertowWoken = new AtomicInteger();
        onUndertowWoken = () -> { };
        outbound.setWriteReadyHandler(new WriteReadyHandler() {
            @Override
            public void writeReady() {
                undertowWoken.incrementAndGet();
                onUndertowWoken.run();
            }

            @Override
            public void forceTermination() {
            }

            @Override
            public void terminated() {
            }
        });
        client = RecordingWire.client("s", WORKER, 100, new RecordingWire[1]);
    }

    /** A frame the node sends, reserved in the client's queue first as a broadcast does. */
    void send(String frame) {
        assertThat(client.reserve()).isTrue();
        outbound.send(bytes(frame), client);
    }

    /** Undertow's write listener: when woken, it writes the rest of its frame. */
    void undertowWritesWhenWoken(ByteBuffer frame) {
        onUndertowWoken = () -> {
            try {
                outbound.write(frame);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
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
        Outbound slowOut = new Outbound(slow, () -> false, () -> { });
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
        assertThat(undertowWoken).as("Undertow asked for nothing").hasValue(0);
    }

    @Test
    void undertowsFrameWaitsBehindTheNodesQueuedFramesAndIsWokenWhenTheyAreOut() throws IOException {
        sink.room = 3;
        send("[data]");
        ByteBuffer close = bytes("<close>");
        assertThat(outbound.write(close)).as("Undertow's close frame held back").isZero();
        assertThat(sink.text()).isEqualTo("[da");

        sink.room = 1 << 20;
        undertowWritesWhenWoken(close);
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[data]<close>");
        assertThat(undertowWoken).hasValue(1);
        assertThat(client.queued()).isZero();
    }

    @Test
    void theNodesFramesWaitWhileUndertowIsPartWayThroughOneOfItsOwn() throws IOException {
        sink.room = 3;
        ByteBuffer pong = bytes("<pong>");
        assertThat(outbound.write(pong)).isEqualTo(3);
        send("[data]");
        assertThat(sink.text()).as("nothing of the node's inside Undertow's frame").isEqualTo("<po");
        assertThat(client.queued()).isEqualTo(1);

        sink.room = 1 << 20;
        undertowWritesWhenWoken(pong);
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("<pong>[data]");
        assertThat(client.queued()).isZero();
    }

    @Test
    void nothingOfTheNodesFollowsTheCloseFrameAndTheFrameCountsAsFailed() {
        closeFrameSent.set(true);
        send("[late]");
        assertThat(sink.text()).isEmpty();
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
    void aCloseWaitsForEveryFrameQueuedBeforeIt() {
        sink.room = 0;
        send("[move]");
        outbound.afterQueued(() -> {
            try {
                outbound.write(bytes("<close>"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sink.text()).isEmpty();
        sink.room = 1 << 20;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[move]<close>");
    }

    @Test
    void aWriteTheSocketTookNothingOfDoesNotHoldTheNodesFramesBehindUndertowsNextOnes() throws IOException {
        sink.room = 0;
        assertThat(outbound.write(bytes("<ping>"))).isZero();
        send("[move]");
        sink.room = 1 << 20;
        outbound.resumeWrites();
        undertowWritesWhenWoken(bytes("<ping>"));
        sink.handler.writeReady();
        // The ping was not begun, so the node's frame, queued first, goes first; neither is cut.
        assertThat(sink.text()).isEqualTo("[move]<ping>");
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
    void writesShutDownOnlyOnceTheNodesQueuedFramesAreOut() throws IOException {
        sink.room = 2;
        send("[last]");
        outbound.terminateWrites();
        assertThat(sink.terminated).isFalse();
        sink.room = 1 << 20;
        sink.handler.writeReady();
        assertThat(sink.text()).isEqualTo("[last]");
        assertThat(sink.terminated).isTrue();
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
