package dev.wslab.server.protocol;

/** A command the node refuses, as a value: the code, a human message and the client's id if it sent one. */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final String id;

    public ProtocolException(ErrorCode code, String message, String id) {
        super(message, null, false, false);
        this.code = code;
        this.id = id;
    }

    public ErrorCode code() {
        return code;
    }

    public String id() {
        return id;
    }

    public ServerEvent.Error toEvent() {
        return new ServerEvent.Error(code.wire(), getMessage(), id);
    }
}
