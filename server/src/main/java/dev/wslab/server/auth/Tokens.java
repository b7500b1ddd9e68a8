package dev.wslab.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 JSON Web Tokens (HS256), the only kind accepted: {@code alg} must be HS256 (never
 * "none", never an algorithm the token chooses), the signature is compared in constant time, and
 * {@code exp} is required. Claims: {@code sub} (who), {@code rooms} (room patterns it may join and
 * publish to), {@code exp} and optional {@code nbf} (epoch seconds). A small hand-written verifier
 * rather than a library: one algorithm, a few claims, every rule visible here.
 */
public final class Tokens {
    /** Tolerated clock difference between the issuer and the nodes. */
    static final long LEEWAY_SECONDS = 30;
    private static final int MAX_TOKEN_CHARS = 4096;

    private final byte[] secret;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public Tokens(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    public Identity verify(String token) throws TokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException("missing or oversized token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException("a token has three dot-separated parts");
        }
        JsonNode header = decode(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new TokenException("only HS256 tokens are accepted");
        }
        byte[] expected = mac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new TokenException("the signature is not base64url");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new TokenException("bad signature");
        }
        JsonNode claims = decode(parts[1]);
        long now = clock.millis() / 1000;
        if (!claims.path("exp").canConvertToLong()) {
            throw new TokenException("the token has no exp");
        }
        if (claims.path("exp").asLong() + LEEWAY_SECONDS < now) {
            throw new TokenException("the token has expired");
        }
        if (claims.has("nbf") && claims.path("nbf").asLong() - LEEWAY_SECONDS > now) {
            throw new TokenException("the token is not valid yet");
        }
        String subject = claims.path("sub").asText("");
        if (subject.isEmpty() || subject.length() > 128) {
            throw new TokenException("the token has no sub");
        }
        List<String> rooms = new ArrayList<>();
        for (JsonNode room : claims.path("rooms")) {
            rooms.add(room.asText());
        }
        return new Identity(subject, rooms, false);
    }

    /** Issues a token: for {@code TokenTool}, the tests and backends that mint tokens for their users. */
    public String sign(String subject, List<String> rooms, Duration ttl) {
        ObjectNode header = json.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = json.createObjectNode().put("sub", subject).put("exp", clock.millis() / 1000 + ttl.toSeconds());
        rooms.forEach(claims.putArray("rooms")::add);
        String unsigned = encode(header.toString()) + "." + encode(claims.toString());
        return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(unsigned));
    }

    private JsonNode decode(String part) throws TokenException {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(part));
            if (node == null || !node.isObject()) {
                throw new TokenException("a token part is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new TokenException("a token part is not base64url JSON");
        }
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
