package dev.wslab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    final Tokens tokens = new Tokens(SECRET, clock);

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedTokenGivesItsSubjectAndRooms() throws Exception {
        Identity alice = tokens.verify(tokens.sign("alice", List.of("lobby", "team-*"), Duration.ofHours(1)));
        assertThat(alice.subject()).isEqualTo("alice");
        assertThat(alice.anonymous()).isFalse();
        assertThat(alice.mayUse("lobby")).isTrue();
        assertThat(alice.mayUse("team-red")).isTrue();
        assertThat(alice.mayUse("lobby2")).isFalse();
        assertThat(alice.mayUse("other")).isFalse();
    }

    @Test
    void anExpiredTokenIsRefusedAfterTheLeeway() {
        String token = tokens.sign("alice", List.of("*"), Duration.ofSeconds(-Tokens.LEEWAY_SECONDS - 1));
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(TokenException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        Tokens other = new Tokens("another secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8), clock);
        String token = other.sign("mallory", List.of("*"), Duration.ofHours(1));
        assertThatThrownBy(() -> tokens.verify(token)).hasMessageContaining("bad signature");
    }

    @Test
    void aTokenWhoseClaimsWereChangedIsRefused() {
        String[] parts = tokens.sign("alice", List.of("lobby"), Duration.ofHours(1)).split("\\.");
        String forged = parts[0] + "." + b64("{\"sub\":\"alice\",\"rooms\":[\"*\"],\"exp\":9999999999}") + "." + parts[2];
        assertThatThrownBy(() -> tokens.verify(forged)).hasMessageContaining("bad signature");
    }

    @Test
    void algNoneAndOtherAlgorithmsAreRefused() {
        String claims = b64("{\"sub\":\"mallory\",\"rooms\":[\"*\"],\"exp\":9999999999}");
        assertThatThrownBy(() -> tokens.verify(b64("{\"alg\":\"none\"}") + "." + claims + "."))
                .hasMessageContaining("only HS256");
        assertThatThrownBy(() -> tokens.verify(b64("{\"alg\":\"RS256\"}") + "." + claims + ".c2ln"))
                .hasMessageContaining("only HS256");
    }

    @Test
    void malformedTokensAreRefusedWithAReason() {
        for (String bad : List.of("", "abc", "a.b", "a.b.c.d", "!!!.@@@.###", b64("[1]") + "." + b64("{}") + ".x",
                "x".repeat(5000))) {
            assertThatThrownBy(() -> tokens.verify(bad)).as(bad).isInstanceOf(TokenException.class);
        }
    }

    @Test
    void aTokenWithoutExpOrSubIsRefused() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        for (String claims : List.of("{\"sub\":\"alice\",\"rooms\":[\"*\"]}", "{\"rooms\":[\"*\"],\"exp\":9999999999}")) {
            String unsigned = b64("{\"alg\":\"HS256\"}") + "." + b64(claims);
            String token = unsigned + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
            assertThatThrownBy(() -> tokens.verify(token)).as(claims).isInstanceOf(TokenException.class);
        }
    }

    @Test
    void theAnonymousModeLetsClientsInWithoutATokenAndTheApiKeyGuardsHttpPublish() throws Exception {
        Authenticator demo = new Authenticator(true, "", "", clock);
        assertThat(demo.client(null).anonymous()).isTrue();
        assertThat(demo.mayPublish(null)).isTrue();
        Authenticator production = new Authenticator(false, new String(SECRET, StandardCharsets.UTF_8), "k3y", clock);
        assertThatThrownBy(() -> production.client(null)).hasMessageContaining("token is required");
        assertThat(production.mayPublish(null)).isFalse();
        assertThat(production.mayPublish("Bearer wrong")).isFalse();
        assertThat(production.mayPublish("Bearer k3y")).isTrue();
        assertThat(new Authenticator(false, new String(SECRET, StandardCharsets.UTF_8), "", clock).mayPublish("Bearer ")).isFalse();
    }
}
