package dev.wslab.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wslab.server.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;

/**
 * Whatever body a client POSTs to {@code /rt/sessions/{id}/commands} (the HTTP transports hand it to
 * the dispatcher as a WebSocket frame's text is), the dispatcher counts it once — as its command's
 * type or as invalid — and answers it without an exception escaping to Undertow's thread.
 */
class CommandBodyFuzzTest extends DispatcherFixture {
    private Opened session;

    private double received() {
        return registry.find(Metrics.MESSAGES_RECEIVED).counters().stream().mapToDouble(Counter::count).sum();
    }

    @FuzzTest(maxDuration = "15s")
    @DictionaryEntries({"{\"type\":", "\"join\"", "\"leave\"", "\"publish\"", "\"incr\"", "\"room\":\"r\"",
            "\"since\":", "\"id\":", "\"body\":{}", "null", "[", "]", "{", "}", "1e999", "-1"})
    void anyCommandBodyIsCountedOnceAndAnsweredWithoutAnException(byte[] input) {
        if (session == null) {
            session = open("http-session");
        }
        double before = received();
        send(session, new String(input, StandardCharsets.UTF_8));
        assertThat(received()).isEqualTo(before + 1);
    }
}
