package dev.wslab.server.hub;

import dev.wslab.server.broker.Envelope;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.client.Lb;
import dev.wslab.server.metrics.Metrics;

/**
 * One room event on its way to the room's members on one I/O thread: a single task on that thread
 * does everything a recipient needs — the member's join buffer and duplicate-seq check, the slot in
 * its client's outbound queue, the write, its delivery latency. A broadcast to N sockets is one
 * hand-off per I/O thread (two on our machine), and the bus thread that received the event touches
 * no member at all: each client's state is read and written on the thread that owns its socket,
 * where it is in cache, and its queue counter never moves between cores.
 *
 * <p>The frame is encoded once, WebSocket framing included ({@link Frame}); every socket writes the
 * same bytes, through one view per task ({@link Frame#forOneThread}): no buffer per recipient.
 *
 * <p>Each recipient's delivery latency is taken as its write happens: how long ago the message was
 * published when the event reached the hub (wall clocks, the publishing node's stamp against ours),
 * plus the monotonic time since then — the hand-off and the writes before its own.
 */
final class Broadcast implements Runnable {
    private static final Lb[] LBS = Lb.values();

    private final Member[] members;
    private final Envelope event;
    private final Frame frame;
    /** Nanoseconds since the publish at {@code startNanos}, or -1 for an event with no publish time. */
    private final long ageNanos;
    private final long startNanos;
    private final DeliveryLatency latency;
    private final Metrics metrics;

    Broadcast(Member[] members, Envelope event, Frame frame, long ageNanos, long startNanos, DeliveryLatency latency, Metrics metrics) {
        this.members = members;
        this.event = event;
        this.frame = frame.forOneThread();
        this.ageNanos = ageNanos;
        this.startNanos = startNanos;
        this.latency = latency;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        long base = ageNanos - startNanos;
        long began = System.nanoTime();
        int delivered = 0;
        int lbSeen = 0;
        for (Member member : members) {
            if (!member.take(event)) {
                continue;
            }
            Client client = member.client();
            client.write(frame);
            delivered++;
            lbSeen |= 1 << client.lb().ordinal();
            if (ageNanos >= 0) {
                latency.record(client.lb(), base + System.nanoTime());
            }
        }
        if (delivered == 0) {
            return;
        }
        metrics.delivered(delivered);
        if (ageNanos < 0) {
            return; // filled from the history (SeqGapFill): no publish time to measure from
        }
        // The hand-off: from the publish until this thread began writing the room's sockets.
        long handOff = base + began;
        for (Lb lb : LBS) {
            if ((lbSeen & (1 << lb.ordinal())) != 0) {
                metrics.broadcastLatency(lb.label(), handOff);
            }
        }
    }
}
