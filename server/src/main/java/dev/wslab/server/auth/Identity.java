package dev.wslab.server.auth;

import java.util.List;

/**
 * Who a connection is and which rooms it may use, from its token (or anonymous, in the demo mode).
 * A room pattern is a room name, or a prefix ending in {@code *} ("team-*"); "*" is every room.
 */
public record Identity(String subject, List<String> rooms, boolean anonymous) {

    public Identity {
        rooms = List.copyOf(rooms);
    }

    /** Immutable, so every anonymous socket shares it. */
    private static final Identity GUEST = new Identity("anonymous", List.of("*"), true);

    /** The anonymous mode's client: every room. */
    public static Identity guest() {
        return GUEST;
    }

    public boolean mayUse(String room) {
        for (String pattern : rooms) {
            if (pattern.endsWith("*") ? room.startsWith(pattern.substring(0, pattern.length() - 1)) : room.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
