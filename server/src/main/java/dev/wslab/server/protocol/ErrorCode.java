package dev.wslab.server.protocol;

/**
 * The codes of error events and of HTTP error bodies. The wire name is what clients switch on; it
 * is also the {@code code} label of the errors metric, so the set is small and fixed.
 */
public enum ErrorCode {
    BAD_JSON("bad_json", "the frame is not a JSON object"),
    UNKNOWN_TYPE("unknown_type", "the type is not one of join, leave, publish, incr"),
    MISSING_FIELD("missing_field", "a required field is missing or has the wrong kind"),
    BAD_ROOM("bad_room", "room names are 1-64 characters of A-Z a-z 0-9 _ - . :"),
    BAD_ID("bad_id", "ids are strings of at most 64 characters"),
    NOT_JOINED("not_joined", "join the room first"),
    ALREADY_JOINED("already_joined", "this connection is in the room already"),
    TOO_MANY_ROOMS("too_many_rooms", "this connection is in as many rooms as it may be"),
    FORBIDDEN("forbidden", "your token does not allow this room"),
    UNAUTHORIZED("unauthorized", "a valid token or API key is required"),
    RATE_LIMITED("rate_limited", "too many publishes from this connection; slow down"),
    UNAVAILABLE("unavailable", "the shared bus (Redis) is unreachable; nothing was published"),
    DRAINING("draining", "this node is draining; reconnect"),
    OVER_CAPACITY("over_capacity", "this node holds as many connections as it may; retry after Retry-After or elsewhere"),
    TOO_LARGE("too_large", "the body is larger than the node accepts"),
    UNKNOWN_SESSION("unknown_session", "this node cannot serve the HTTP session: make a new one and join with since"),
    INTERNAL("internal", "the node failed to handle the command");

    private final String wire;
    private final String meaning;

    ErrorCode(String wire, String meaning) {
        this.wire = wire;
        this.meaning = meaning;
    }

    public String wire() {
        return wire;
    }

    public String meaning() {
        return meaning;
    }
}
