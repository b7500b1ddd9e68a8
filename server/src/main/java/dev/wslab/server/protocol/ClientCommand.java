package dev.wslab.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** Every command a client may send, already validated by {@link Codec#decode}. */
public sealed interface ClientCommand {

    /** The client's correlation id, echoed in the ack or error; may be null. */
    String id();

    /** The room the command is about: every command but ping names one. */
    String room();

    /** Enter a room; {@code since} is the last seq the client saw there, or null for "from now on". */
    record Join(String room, Long since, String id) implements ClientCommand {}

    record Leave(String room, String id) implements ClientCommand {}

    record Publish(String room, JsonNode body, String id) implements ClientCommand {}

    /** Increment the room's shared counter (the HA demo's button). */
    record Incr(String room, String id) implements ClientCommand {}

    /**
     * Answered with a pong by the node itself, without Redis: a heartbeat for clients that cannot send
     * WebSocket pings (browsers cannot) or that must notice a cut connection without waiting for traffic.
     */
    record Ping(String id) implements ClientCommand {
        @Override
        public String room() {
            return null;
        }
    }
}
