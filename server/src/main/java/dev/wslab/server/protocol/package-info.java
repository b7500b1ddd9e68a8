/**
 * The wire format: records for every client command and server event, error codes, and the one
 * {@link dev.wslab.server.protocol.Codec} that reads and writes JSON. See docs/PROTOCOL.md.
 *
 * <p>Thread-safety: records are immutable; the codec is stateless after construction.
 */
package dev.wslab.server.protocol;
