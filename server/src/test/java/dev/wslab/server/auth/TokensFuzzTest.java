package dev.wslab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** No input gets past the token check without the secret, and none makes it throw anything but a refusal. */
class TokensFuzzTest {
    private final Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Clock.systemUTC());

    @FuzzTest(maxDuration = "20s")
    void noForgedTokenIsAccepted(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        try {
            Identity identity = tokens.verify(token);
            // Only a correctly signed token verifies; the fuzzer cannot produce the HMAC by chance.
            assertThat(identity).as("accepted a token that was never signed: " + token).isNull();
        } catch (TokenException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
