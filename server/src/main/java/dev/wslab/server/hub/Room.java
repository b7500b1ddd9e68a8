package dev.wslab.server.hub;

import dev.wslab.server.client.Client;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioIoThread;

/**
 * One room's local members, and the same members grouped by the I/O thread of their socket — what a
 * broadcast hands each thread. The groups are a snapshot, made again on the first event after a
 * join or leave, not at each of them: a burst of joins costs one regrouping per event, not one
 * per join. A member that left after the snapshot was taken is skipped by {@link Member#take}; a
 * leave drops the snapshot, so that it holds no departed socket.
 */
final class Room {
    /** The members on one I/O thread. */
    record Group(XnioIoThread thread, Member[] members) {}

    private static final Group[] NO_GROUPS = new Group[0];

    private final ConcurrentHashMap<Client, Member> members = new ConcurrentHashMap<>();
    private final CompletionStage<Void> subscribed;
    private Group[] groups = NO_GROUPS;
    private volatile boolean changed;

    Room(CompletionStage<Void> subscribed) {
        this.subscribed = subscribed;
    }

    CompletionStage<Void> subscribed() {
        return subscribed;
    }

    Member add(Client client) {
        Member member = new Member(client);
        members.put(client, member);
        changed = true;
        return member;
    }

    Member get(Client client) {
        return members.get(client);
    }

    /** Takes the client's membership out ({@code only} that one, when not null); false when there was none. */
    boolean remove(Client client, Member only) {
        Member gone = only == null ? members.remove(client) : members.remove(client, only) ? only : null;
        if (gone == null) {
            return false;
        }
        gone.leave();
        changed = true;
        // The snapshot goes too: in a room nobody publishes to, it would hold the departed socket
        // until the next event.
        synchronized (this) {
            groups = NO_GROUPS;
        }
        return true;
    }

    /** Whether the current snapshot still holds this membership (for tests of what a leave lets go). */
    boolean snapshotHolds(Member member) {
        synchronized (this) {
            for (Group group : groups) {
                for (Member m : group.members()) {
                    if (m == member) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    int size() {
        return members.size();
    }

    /**
     * The members by I/O thread, regrouped if a join or leave came since the last call. Locked: an
     * event must not be handed a grouping older than a join that completed before it arrived, which
     * a second thread would get while the first regroups (the bus and the history fill both deliver).
     */
    synchronized Group[] groups() {
        if (!changed) {
            return groups;
        }
        // Cleared first: a join during the regrouping marks it again, and the next event regroups.
        changed = false;
        Map<XnioIoThread, List<Member>> byThread = new LinkedHashMap<>();
        for (Member member : members.values()) {
            byThread.computeIfAbsent(member.client().ioThread(), t -> new ArrayList<>()).add(member);
        }
        List<Group> regrouped = new ArrayList<>(byThread.size());
        byThread.forEach((thread, list) -> regrouped.add(new Group(thread, list.toArray(new Member[0]))));
        Group[] made = regrouped.toArray(NO_GROUPS);
        groups = made;
        return made;
    }
}
