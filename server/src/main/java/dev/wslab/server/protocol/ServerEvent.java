package dev.wslab.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Every event the node sends, except room messages, which {@link Codec#messageTemplate} builds
 * around a sequence number that only Redis knows. Field order is part of the format.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerEvent {

    // Not a record component, so Jackson needs telling; the annotation is inherited by every record.
    @JsonProperty("type")
    String type();

    /** {@code lb}: the HAProxy frontend the client came through (sticky, roundrobin), or direct. */
    @JsonPropertyOrder({"type", "node", "session", "lb"})
    record Welcome(String node, String session, String lb) implements ServerEvent {
        public String type() {
            return "welcome";
        }
    }

    /**
     * {@code seq} is the last message seq of the room at join; the client receives every later one.
     * A join with {@code since} is answered with {@code resumed}, how many missed messages follow
     * (in order, before any live one), and {@code missed}, how many are gone from the history.
     */
    @JsonPropertyOrder({"type", "room", "seq", "counter", "members", "resumed", "missed", "id"})
    record Joined(String room, long seq, long counter, long members, Long resumed, Long missed, String id)
            implements ServerEvent {
        public String type() {
            return "joined";
        }
    }

    @JsonPropertyOrder({"type", "room", "id"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Left(String room, String id) implements ServerEvent {
        public String type() {
            return "left";
        }
    }

    /** Confirms a command that carried an id: {@code seq} for a publish, {@code counter} for an incr. */
    @JsonPropertyOrder({"type", "id", "room", "seq", "counter"})
    record Ack(String id, String room, Long seq, Long counter) implements ServerEvent {
        public String type() {
            return "ack";
        }
    }

    /** The answer to a ping, with its id if it had one. */
    @JsonPropertyOrder({"type", "id"})
    record Pong(String id) implements ServerEvent {
        public String type() {
            return "pong";
        }
    }

    @JsonPropertyOrder({"type", "room", "members"})
    record Presence(String room, long members) implements ServerEvent {
        public String type() {
            return "presence";
        }
    }

    /**
     * The room's messages {@code from} … {@code to} will not reach this client: the bus lost them
     * (pub/sub is at most once) and the room's history does not hold them — a Redis Cluster failover's
     * seq jump, or an outage longer than the history. Sent in place of the gap, before the message
     * after it; the client reloads the room (or resumes with since, which reports them as missed).
     */
    @JsonPropertyOrder({"type", "room", "from", "to"})
    record Gap(String room, long from, long to) implements ServerEvent {
        public String type() {
            return "gap";
        }
    }

    @JsonPropertyOrder({"type", "code", "message", "id"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String code, String message, String id) implements ServerEvent {
        public String type() {
            return "error";
        }
    }

    /**
     * Sent just before the node closes the socket to move its client elsewhere (close 4002): reconnect
     * after {@code retryAfterMs}, without the sticky cookie (it names this node), and resume with since.
     */
    @JsonPropertyOrder({"type", "reason", "retryAfterMs", "node"})
    record Move(String reason, long retryAfterMs, String node) implements ServerEvent {
        public String type() {
            return "move";
        }
    }

    /**
     * The last event of an HTTP session (SSE or long-polling), which has no close frame: the code and
     * reason a WebSocket client would get in its close frame (1001 drain, 4002 move, 1008 slow reader…).
     */
    @JsonPropertyOrder({"type", "code", "reason"})
    record Closed(int code, String reason) implements ServerEvent {
        public String type() {
            return "close";
        }
    }
}
