package dev.wslab.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wslab.server.Eventually;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's commands through the dispatcher, on the in-process bus: what each is answered. */
class DispatcherTest extends DispatcherFixture {
    @Test
    void aNewClientIsCountedAndWelcomedWithItsNodeAndSession() {
        Opened c = open("s-1");
        assertThat(await(c, "welcome")).contains("\"node\":\"node-1\"").contains("\"session\":\"s-1\"");
        assertThat(clients.size()).isEqualTo(1);
    }

    @Test
    void aFrameThatIsNotJsonIsAnsweredWithAnErrorAndCounted() {
        Opened c = open("s-1");
        send(c, "{not json");
        assertThat(await(c, "\"error\"")).contains("\"code\":\"bad_json\"");
        assertThat(errors("bad_json")).isEqualTo(1);
    }

    @Test
    void aJoinIsAnsweredJoinedAndAPublishReachesTheMemberWithItsSeq() {
        Opened c = open("s-1");
        send(c, "{\"type\":\"join\",\"room\":\"r\",\"id\":\"j\"}");
        assertThat(await(c, "\"joined\"")).contains("\"room\":\"r\"").contains("\"seq\":0");
        send(c, "{\"type\":\"publish\",\"room\":\"r\",\"id\":\"p\",\"body\":{\"text\":\"hi\"}}");
        assertThat(await(c, "\"ack\"")).contains("\"seq\":1");
        assertThat(await(c, "\"message\"")).contains("\"seq\":1").contains("\"text\":\"hi\"");
    }

    @Test
    void publishesPastTheRateLimitAreAnsweredRateLimitedAndNotPublished() {
        Opened c = open("s-1");
        // 5 per second, bursts of 10: the eleventh at once is over.
        for (int i = 0; i < 11; i++) {
            send(c, "{\"type\":\"publish\",\"room\":\"r\",\"id\":\"p" + i + "\",\"body\":{}}");
        }
        assertThat(await(c, "rate_limited")).contains("\"id\":\"p10\"");
        assertThat(broker.numbers("r").toCompletableFuture().join().seq()).isEqualTo(10);
    }

    @Test
    void aClientInAsManyRoomsAsItMayIsRefusedAThirdAndLeavesThemAllWhenClosed() {
        Opened c = open("s-1");
        send(c, "{\"type\":\"join\",\"room\":\"a\"}");
        send(c, "{\"type\":\"join\",\"room\":\"b\"}");
        send(c, "{\"type\":\"join\",\"room\":\"c\",\"id\":\"third\"}");
        assertThat(await(c, "too_many_rooms")).contains("\"id\":\"third\"");
        Eventually.until(() -> state.members("b").toCompletableFuture().join() == 1, Duration.ofSeconds(5), "b counts its member");
        dispatcher.closed(c.client(), 1000);
        assertThat(clients.size()).isZero();
        assertThat(hub.size()).isZero();
        for (String room : List.of("a", "b")) {
            assertThat(state.members(room).toCompletableFuture().join()).as(room + "'s members").isZero();
        }
    }
}
