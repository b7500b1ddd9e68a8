package dev.wslab.server.rooms;

import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.Envelope;
import dev.wslab.server.broker.Micros;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.ws.Broadcast;
import dev.wslab.server.ws.Connection;
import dev.wslab.server.ws.DeliveryLatency;
import dev.wslab.server.ws.Lb;
import java.time.Clock;

/**
 * Hands each room event from the bus to the room's local members. The frame arrives encoded and is
 * sent as is: one buffer, a duplicate view per socket, no per-recipient encoding, and one write task per
 * I/O thread ({@link Broadcast}).
 */
public final class Fanout implements Broker.Listener {
    private static final Lb[] LBS = Lb.values();

    private final RoomRegistry rooms;
    private final Metrics metrics;
    private final Clock clock;
    private final DeliveryLatency deliveryLatency;

    public Fanout(RoomRegistry rooms, Metrics metrics, Clock clock) {
        this.rooms = rooms;
        this.metrics = metrics;
        this.clock = clock;
        this.deliveryLatency = new DeliveryLatency(metrics);
    }

    @Override
    public void onRoomEvent(String room, Envelope envelope) {
        int delivered = 0;
        int lbSeen = 0;
        long ageNanos = envelope.sentAtMicros() == 0 ? -1 : Math.max(0, (Micros.now(clock) - envelope.sentAtMicros()) * 1_000L);
        Broadcast broadcast = new Broadcast(envelope.frame(), ageNanos, deliveryLatency);
        for (Connection member : rooms.members(room)) {
            if (member.deliver(room, envelope, broadcast)) {
                delivered++;
                lbSeen |= 1 << member.lb().ordinal();
            }
        }
        broadcast.flush();
        if (delivered == 0) {
            return;
        }
        metrics.delivered(delivered);
        if (envelope.sentAtMicros() == 0) {
            return; // filled from the history (SeqGapFill): no publish time to measure from
        }
        long latencyNanos = (Micros.now(clock) - envelope.sentAtMicros()) * 1_000L;
        for (Lb lb : LBS) {
            if ((lbSeen & (1 << lb.ordinal())) != 0) {
                metrics.broadcastLatency(lb.label(), latencyNanos);
            }
        }
    }
}
