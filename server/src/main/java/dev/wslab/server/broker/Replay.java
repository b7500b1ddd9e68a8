package dev.wslab.server.broker;

import java.util.List;

/**
 * Room messages a resuming client missed, as encoded frames of consecutive seqs, starting at
 * {@code firstSeq} (0 when there are none).
 */
public record Replay(long firstSeq, List<byte[]> frames) {
    public static final Replay EMPTY = new Replay(0, List.of());
}
