package dev.wslab.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The queue of one socket's waiting frames: order, partial writes, and what it holds once empty. */
class FrameQueueTest {
    private static ByteBuffer frame(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBacklogLeavesInOrderAndTheEmptiedQueueLetsGoOfItsRing() throws IOException {
        FrameQueue queue = new FrameQueue();
        assertThat(queue.capacity()).as("an idle socket's queue").isZero();
        for (int i = 0; i < 100; i++) {
            queue.add(frame("f" + i));
        }
        assertThat(queue.capacity()).isEqualTo(128);
        LimitedSink sink = new LimitedSink(25);
        assertThat(queue.writeTo(sink)).as("frames the sink took whole").isLessThan(100);
        assertThat(queue.isEmpty()).isFalse();
        sink.room = 1 << 20;
        int rest = queue.writeTo(sink);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.capacity()).as("after the backlog left").isZero();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append("f").append(i);
        }
        assertThat(sink.text()).isEqualTo(expected.toString());
        assertThat(rest).isPositive();
    }

    @Test
    void aClearedQueueCountsWhatItDroppedAndHoldsNothing() {
        FrameQueue queue = new FrameQueue();
        queue.add(frame("a"));
        queue.add(frame("b"));
        boolean[] ran = {false};
        queue.whenEmpty(() -> ran[0] = true);
        assertThat(queue.clear()).isEqualTo(2);
        assertThat(queue.capacity()).isZero();
        queue.runWhenEmpty();
        assertThat(ran[0]).as("what waited for the queue is forgotten by a clear").isFalse();
    }
}
