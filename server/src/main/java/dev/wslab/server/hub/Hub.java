package dev.wslab.server.hub;

import dev.wslab.server.broker.Broker;
import dev.wslab.server.broker.Envelope;
import dev.wslab.server.broker.Micros;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import dev.wslab.server.metrics.Metrics;
import dev.wslab.server.protocol.Codec;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which local clients are in which room, and every event of a room on its way from the bus to them.
 * The hub owns each membership ({@link Member}: the join buffer and the duplicate-seq drop), the
 * node's bus subscriptions that follow from membership (a room is subscribed when its first local
 * member joins and unsubscribed when its last leaves), and the fan-out: the frame arrives encoded
 * and is sent as is — one frame for every socket, one task per I/O thread that does each member's
 * part on the thread that owns its socket ({@link Broadcast}).
 *
 * <p>Events reach the hub through {@link SeqGapFill}, which makes each room's live stream gap-free
 * first: {@link #listener()} is what the broker is started with.
 *
 * <p>Joins and leaves of one room run inside {@link ConcurrentHashMap#compute}, so they are
 * serialized and the subscribe/unsubscribe commands reach the bus in the same order.
 */
public final class Hub {
    private final Broker broker;
    private final Metrics metrics;
    private final Clock clock;
    private final DeliveryLatency deliveryLatency;
    private final SeqGapFill gapFill;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Each client's rooms: what a close takes it out of, and what the per-client room limit counts. */
    private final ConcurrentHashMap<Client, Set<String>> roomsOf = new ConcurrentHashMap<>();

    public Hub(Broker broker, Metrics metrics, Clock clock, Codec codec) {
        this.broker = broker;
        this.metrics = metrics;
        this.clock = clock;
        this.deliveryLatency = new DeliveryLatency(metrics);
        this.gapFill = new SeqGapFill(broker, this::fanOut, metrics, codec);
    }

    /** What the bus hands every room event to: the gap filler, then this hub's fan-out. */
    public Broker.Listener listener() {
        return gapFill;
    }

    /** Whether the client is in the room, or joining it. */
    public boolean isIn(Client client, String room) {
        Set<String> joined = roomsOf.get(client);
        return joined != null && joined.contains(room);
    }

    public int roomCount(Client client) {
        Set<String> joined = roomsOf.get(client);
        return joined == null ? 0 : joined.size();
    }

    /**
     * A join under way: the membership it made, which only this join's completion or failure may
     * finish — not a later join of the same client to the same room after it left.
     */
    public static final class Joining {
        private final String room;
        private final Member member;
        private final CompletionStage<Void> subscribed;

        private Joining(String room, Member member, CompletionStage<Void> subscribed) {
            this.room = room;
            this.member = member;
            this.subscribed = subscribed;
        }

        /** Completes once this node receives the room's events. */
        public CompletionStage<Void> subscribed() {
            return subscribed;
        }
    }

    /** Makes the client a member whose events are held back until {@link #joinCompleted}. */
    public Joining join(String room, Client client) {
        roomsOf.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet()).add(room);
        Member[] made = new Member[1];
        Room joined = rooms.compute(room, (name, existing) -> {
            Room r = existing != null ? existing : new Room(broker.subscribe(name));
            made[0] = r.add(client);
            return r;
        });
        return new Joining(room, made[0], joined.subscribed());
    }

    /**
     * Sends the joined event and the replay (seq up to {@code seq}), then the events held back since
     * the join began that they do not already cover. A membership that has left since still gets
     * its answer, and nothing else.
     */
    public void joinCompleted(Joining joining, byte[] joined, long seq, List<byte[]> replay) {
        Member member = joining.member;
        if (rooms.containsKey(joining.room)) {
            gapFill.joined(joining.room, seq);
        }
        // On the client's I/O thread, where its events are taken: those handed over before this are
        // held back and follow the joined event, those after it find the join complete.
        member.client().ioThread().execute(() -> member.completeJoin(joined, seq, replay));
    }

    /** A join that failed: its membership goes, unless the client left and joined again since. */
    public void joinFailed(Joining joining) {
        leave(joining.room, joining.member.client(), joining.member);
    }

    /** Takes the client out of the room; false when it was not in it. */
    public boolean leave(String room, Client client) {
        return leave(room, client, null);
    }

    /** Takes {@code only} (or, when null, whichever membership the client has) out of the room. */
    private boolean leave(String room, Client client, Member only) {
        boolean[] removed = {false};
        rooms.computeIfPresent(room, (name, r) -> {
            removed[0] = r.remove(client, only);
            if (r.isEmpty()) {
                broker.unsubscribe(name);
                // The node stops receiving the room: a later member starts a fresh stream.
                gapFill.forget(name);
                return null;
            }
            return r;
        });
        Set<String> joined = roomsOf.get(client);
        if (joined != null && (removed[0] || only == null)) {
            joined.remove(room);
        }
        return removed[0];
    }

    /** Takes a closed client out of every room; returns the rooms it was a member of. */
    public List<String> leaveAll(Client client) {
        Set<String> joined = roomsOf.remove(client);
        if (joined == null) {
            return List.of();
        }
        List<String> left = new java.util.ArrayList<>();
        for (String room : joined) {
            if (leave(room, client)) {
                left.add(room);
            }
        }
        return left;
    }

    /** The room's members on this node (those still joining included). */
    public int members(String room) {
        Room r = rooms.get(room);
        return r == null ? 0 : r.size();
    }

    /** Rooms with at least one local member. */
    public int size() {
        return rooms.size();
    }

    /** Hands a room event to the room's local members: one task per I/O thread, which does the rest. */
    private void fanOut(String room, Envelope envelope) {
        Room r = rooms.get(room);
        if (r == null) {
            return;
        }
        long startNanos = System.nanoTime();
        long ageNanos = envelope.sentAtMicros() == 0 ? -1 : Math.max(0, (Micros.now(clock) - envelope.sentAtMicros()) * 1_000L);
        Frame frame = new Frame(envelope.frame());
        Room.Group[] groups = r.groups();
        int members = 0;
        for (Room.Group group : groups) {
            group.thread().execute(new Broadcast(group.members(), envelope, frame, ageNanos, startNanos, deliveryLatency, metrics));
            members += group.members().length;
        }
        if (members > 0) {
            metrics.fannedOut(members);
        }
    }
}
