package dev.wslab.server.protocol;

/**
 * Every close the node sends, code and reason, in one place: docs/PROTOCOL.md's table is this class.
 * A client library branches on the code (reconnect elsewhere, slow down, stop); the reason is for
 * people reading logs. 4000–4999 are the application's own range (RFC 6455 §7.4.2).
 */
public final class CloseCodes {
    /** The client ended its HTTP session itself. */
    public static final int NORMAL = 1000;
    /** Drain or shutdown: reconnect, another node will take you. */
    public static final int GOING_AWAY = 1001;
    /** A frame that breaks RFC 6455 (unmasked, reserved bits or opcodes, a bad control frame). */
    public static final int PROTOCOL_ERROR = 1002;
    public static final int BINARY_REFUSED = 1003;
    /** Not sent: what a client's close frame without a code is counted as. */
    public static final int NO_STATUS = 1005;
    /** Not sent: what a socket that ended without a close frame is counted as. */
    public static final int ABNORMAL = 1006;
    /** A text message that is not UTF-8. */
    public static final int INVALID_TEXT = 1007;
    public static final int SLOW_CONSUMER = 1008;
    /** A message over the node's size limit. */
    public static final int TOO_BIG = 1009;
    /** The peer stopped answering pings. */
    public static final int PING_TIMEOUT = 4001;
    /** The node asks the client to move to another node (after a {@code move} event). */
    public static final int MIGRATE = 4002;

    public static final String DRAINING = "node draining: reconnect to another node";
    public static final String SHUTTING_DOWN = "node shutting down";
    public static final String BINARY = "binary frames are not supported; send JSON text";
    public static final String SLOW = "slow consumer: outbound queue full";
    public static final String SESSION_ENDED = "the client ended the session";

    private CloseCodes() {}

    public static String pingTimeout(long seconds) {
        return "ping timeout: nothing received for " + seconds + " s";
    }

    public static String migrate(long retryAfterMs) {
        return "migrate: reconnect in " + retryAfterMs + " ms";
    }
}
