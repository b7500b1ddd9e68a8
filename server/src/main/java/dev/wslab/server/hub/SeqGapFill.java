package dev.wslab.server.hub;

import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.Envelope;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.broker.Replay;
import dev.wslab.server.protocol.Codec;
import dev.wslab.server.protocol.ServerEvent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits between the bus and the fan-out and makes the live stream of each room gap-free: when a
 * numbered event arrives whose seq is more than one past the last this node handed on, the missing
 * ones are read from the room's history and handed on first, in order; later events wait meanwhile.
 *
 * <p>Why: pub/sub is at-most-once. The chaos experiments caught it (`./lab chaos redis`): a message
 * numbered and stored by the publish script just as Redis shut down never reached the subscribed
 * nodes, and every member saw seq 97539 followed by 97541, with 97540 sitting in the history.
 * If the history cannot be read (Redis away) or does not hold them (a Redis Cluster failover's seq
 * jump, wider than any fill), the event goes on after a {@code gap} event that names the seqs the
 * members will not get, counted ({@code wslab_bus_gaps_total{outcome="unfilled"}}): a gap never
 * passes silently, and a client that resumes with {@code since} learns them as missed.
 */
public final class SeqGapFill implements Broker.Listener {
    /** The most seqs one fill reads: of a wider gap, its last ones (members who need more resume from their own seq). */
    static final int MAX_FILL = 1000;

    private final Broker history;
    private final Broker.Listener next;
    private final Metrics metrics;
    private final Codec codec;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /** One room's position, and the events held back while a fill is in flight. */
    private static final class Stream {
        long last = -1;
        boolean filling;
        /** The room's seq when the node subscribed again during a fill: caught up to once the fill is done. */
        long catchUpTo = -1;
        final ArrayDeque<Envelope> held = new ArrayDeque<>();
    }

    /** @param history the bus that numbered the events, which keeps them ({@link Broker#history}) */
    public SeqGapFill(Broker history, Broker.Listener next, Metrics metrics, Codec codec) {
        this.history = history;
        this.next = next;
        this.metrics = metrics;
        this.codec = codec;
    }

    @Override
    public void onMalformed(String room, String reason) {
        metrics.error("bad_envelope");
    }

    @Override
    public void onRoomEvent(String room, Envelope event) {
        if (event.seq() == 0) {
            next.onRoomEvent(room, event);
            return;
        }
        Stream stream = streams.computeIfAbsent(room, r -> new Stream());
        long from;
        long to;
        synchronized (stream) {
            if (stream.filling) {
                stream.held.add(event);
                return;
            }
            if (stream.last < 0 || event.seq() <= stream.last + 1) {
                stream.last = Math.max(stream.last, event.seq());
                next.onRoomEvent(room, event);
                return;
            }
            stream.filling = true;
            // First in line: when called from the drain below, later held events are still queued.
            stream.held.addFirst(event);
            to = event.seq() - 1;
            from = fillFrom(stream, to);
        }
        fill(room, stream, from, to);
    }

    /**
     * Where a fill up to {@code to} starts: a gap wider than a fill (a failover's seq jump, a long
     * outage) is filled with its last MAX_FILL seqs, as far as the history holds them; the rest is given up.
     */
    private static long fillFrom(Stream stream, long to) {
        return Math.max(stream.last, to - MAX_FILL);
    }

    /** Reads the seqs after {@code from} up to {@code to} from the history and hands them on; the stream is marked filling. */
    private void fill(String room, Stream stream, long from, long to) {
        history.history(room, from, (int) (to - from)).whenComplete((replay, error) ->
                filled(room, stream, error == null ? replay : null, to));
    }

    /** Tells the room's members which seqs will not come: an unnumbered event, so every member takes it. */
    private void giveUp(String room, long from, long to) {
        byte[] frame = codec.encode(new ServerEvent.Gap(room, from, to));
        next.onRoomEvent(room, new Envelope("gap", 0, 0, ByteBuffer.wrap(frame).asReadOnlyBuffer()));
    }

    /**
     * A member joined with the room at {@code seq}: where a stream has seen no live event yet, that
     * is its position. Without it the first live event after a quiet subscribe passed unchecked, and
     * a Redis Cluster failover's seq jump reached members who had joined after the room's last
     * message with no {@code gap} event (seen at 1,000 clients: 5–25 members a run, NOTES.md). A
     * stream already under way keeps its own position: a join's seq may run ahead of live events
     * still on their way, and one lost among them must still be filled for the other members.
     */
    public void joined(String room, long seq) {
        Stream stream = streams.computeIfAbsent(room, r -> new Stream());
        synchronized (stream) {
            if (stream.last < 0 && !stream.filling) {
                stream.last = seq;
            }
        }
    }

    /**
     * The node's subscription to the room was confirmed — again, where the stream has a position:
     * whatever was published while it lapsed never arrived, and in a quiet room no next event comes
     * to show the gap. So the room's seq is read and the stream filled up to it. Without it, at
     * 1,000 clients, a Redis Cluster failover left a few clients a run without their own message
     * for over 10 s (NOTES.md): it had been published on the new master before the node's
     * subscription moved there, and came only with the room's next message.
     */
    @Override
    public void onSubscribed(String room) {
        Stream stream = streams.get(room);
        if (stream == null) {
            return;
        }
        synchronized (stream) {
            if (stream.last < 0) {
                return;
            }
        }
        history.numbers(room).whenComplete((numbers, error) -> {
            // Unread (Redis away again): the next subscription or live event tries again.
            if (error == null) {
                catchUp(room, stream, numbers.seq());
            }
        });
    }

    private void catchUp(String room, Stream stream, long seq) {
        long from;
        synchronized (stream) {
            if (stream.filling) {
                stream.catchUpTo = Math.max(stream.catchUpTo, seq);
                return;
            }
            if (seq <= stream.last || streams.get(room) != stream) {
                return;
            }
            stream.filling = true;
            from = fillFrom(stream, seq);
        }
        fill(room, stream, from, seq);
    }

    /**
     * The node stopped receiving the room: its position is stale. When a member joins again the
     * stream starts afresh — members get what they missed from their own join, not from a fill.
     */
    public void forget(String room) {
        streams.remove(room);
    }

    private void filled(String room, Stream stream, Replay replay, long to) {
        synchronized (stream) {
            long wanted = stream.last + 1;
            if (replay != null) {
                List<byte[]> frames = replay.frames();
                for (int i = 0; i < frames.size(); i++) {
                    long seq = replay.firstSeq() + i;
                    if (seq >= wanted && seq <= to) {
                        if (seq > wanted) {
                            giveUp(room, wanted, seq - 1);
                        }
                        next.onRoomEvent(room, new Envelope("history", 0, seq, ByteBuffer.wrap(frames.get(i)).asReadOnlyBuffer()));
                        wanted = seq + 1;
                    }
                }
            }
            // Whatever the history did not hold is given up on, and said: the stream moves past it.
            if (wanted <= to) {
                giveUp(room, wanted, to);
            }
            metrics.busGap(replay != null && !replay.frames().isEmpty() && replay.firstSeq() == stream.last + 1 && wanted > to);
            stream.last = to;
            stream.filling = false;
            // Held events go on in order, through the same check: one may open a new gap and start
            // another fill, and then the rest stay held behind it.
            while (!stream.held.isEmpty() && !stream.filling) {
                onRoomEvent(room, stream.held.poll());
            }
            if (!stream.filling && stream.catchUpTo > stream.last) {
                long seq = stream.catchUpTo;
                stream.catchUpTo = -1;
                catchUp(room, stream, seq);
            }
        }
    }
}
