package dev.wslab.server.auth;

/** A token that is not accepted; the message says why, without echoing the token. */
public final class TokenException extends Exception {
    public TokenException(String message) {
        super(message);
    }
}
