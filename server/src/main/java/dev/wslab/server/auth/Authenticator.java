package dev.wslab.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * The node's two doors: WebSocket clients show a token (or, in the demo's anonymous mode, nothing),
 * backend services calling the HTTP publish API show the API key. Built from the configuration;
 * the rules are stated once here.
 */
public final class Authenticator {
    private final boolean anonymous;
    private final Tokens tokens;
    private final byte[] apiKey;

    /**
     * @param secret HMAC secret of client tokens; empty: tokens are not accepted
     * @param apiKey the publish API's key; empty: only anonymous mode may publish over HTTP
     */
    public Authenticator(boolean anonymous, String secret, String apiKey, Clock clock) {
        this.anonymous = anonymous;
        this.tokens = secret.isBlank() ? null : new Tokens(secret.getBytes(StandardCharsets.UTF_8), clock);
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The identity of a client presenting {@code token} (null when it presented none). */
    public Identity client(String token) throws TokenException {
        if (token == null || token.isEmpty()) {
            if (anonymous) {
                return Identity.guest();
            }
            throw new TokenException("a token is required (?token=… or Authorization: Bearer …)");
        }
        if (tokens == null) {
            throw new TokenException("this node does not accept tokens (no secret configured)");
        }
        return tokens.verify(token);
    }

    /** Whether an HTTP publish with this Authorization header value may go ahead. */
    public boolean mayPublish(String authorization) {
        if (apiKey.length == 0) {
            return anonymous;
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] presented = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(apiKey, presented);
    }
}
