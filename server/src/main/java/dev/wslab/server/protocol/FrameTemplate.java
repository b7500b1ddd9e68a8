package dev.wslab.server.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A server event split around one number that is not known yet (a room's seq or counter). Redis
 * assigns the number and splices it in atomically with the publish, so every node sees the room's
 * events in number order, and the event is still encoded only once, here.
 */
public record FrameTemplate(String prefix, String suffix) {

    public byte[] fill(long number) {
        return (prefix + number + suffix).getBytes(StandardCharsets.UTF_8);
    }
}
