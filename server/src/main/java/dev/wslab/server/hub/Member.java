package dev.wslab.server.hub;

import dev.wslab.server.broker.Envelope;
import dev.wslab.server.client.Client;
import dev.wslab.server.client.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's membership of one room: the events held back while its join completes, and the
 * highest seq it was sent. A live message can reach the node after a resume already replayed it
 * from the history (the bus and the history read race), so numbered events at or below it are
 * dropped: the client sees each seq once, in order. Thread-safe (the client's I/O thread takes
 * events, the store's threads complete the join); one lock per membership, never contended by
 * other clients.
 */
final class Member {
    private final Client client;
    /** Events that arrived between subscribing and telling the client it joined; null once joined. */
    private List<Envelope> held = new ArrayList<>();
    /** 0 until the join completes: every seq is above it. */
    private long sentUpTo;
    /** Left the room: an event already on its way to it is not written. */
    private boolean left;

    Member(Client client) {
        this.client = client;
    }

    Client client() {
        return client;
    }

    /**
     * Whether a room event is to be written to the client now: not while its join is under way (the
     * event is held back), not a seq it was already sent, not after it left, and only with a slot
     * in its outbound queue (a full one closes the client).
     */
    boolean take(Envelope event) {
        synchronized (this) {
            if (left) {
                return false;
            }
            if (held != null) {
                held.add(event);
                return false;
            }
            if (event.seq() != 0) {
                if (event.seq() <= sentUpTo) {
                    return false;
                }
                sentUpTo = event.seq();
            }
        }
        return client.reserve();
    }

    synchronized void leave() {
        left = true;
        held = null;
    }

    /**
     * Sends the joined event, the replayed messages (seq up to {@code seq}), then the held-back events
     * it does not already cover: messages with a seq above {@code seq}, and every unnumbered event.
     * On the client's I/O thread, so that they are written at once, before any event handed over after.
     */
    synchronized void completeJoin(byte[] joined, long seq, List<byte[]> replay) {
        sentUpTo = Math.max(sentUpTo, seq);
        client.send(joined);
        replay.forEach(client::send);
        if (held == null) {
            return;
        }
        for (Envelope event : held) {
            if (event.seq() == 0) {
                client.send(new Frame(event.frame()));
            } else if (event.seq() > sentUpTo) {
                sentUpTo = event.seq();
                client.send(new Frame(event.frame()));
            }
        }
        held = null;
    }
}
