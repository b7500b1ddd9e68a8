package dev.wslab.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecTest {
    private final Codec codec = new Codec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void decodesEveryCommandType() throws Exception {
        assertThat(codec.decode("{\"type\":\"join\",\"room\":\"lobby\",\"since\":41}"))
                .isEqualTo(new ClientCommand.Join("lobby", 41L, null));
        assertThat(codec.decode("{\"type\":\"leave\",\"room\":\"lobby\",\"id\":\"x\"}"))
                .isEqualTo(new ClientCommand.Leave("lobby", "x"));
        assertThat(codec.decode("{\"type\":\"incr\",\"room\":\"a:b.c-d_e\"}"))
                .isEqualTo(new ClientCommand.Incr("a:b.c-d_e", null));
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"h1\"}")).isEqualTo(new ClientCommand.Ping("h1"));
        ClientCommand publish = codec.decode("{\"type\":\"publish\",\"room\":\"lobby\",\"id\":\"c1\",\"body\":{\"t\":[1,2]}}");
        assertThat(publish).isInstanceOf(ClientCommand.Publish.class);
        assertThat(((ClientCommand.Publish) publish).body().toString()).isEqualTo("{\"t\":[1,2]}");
        assertThat(publish.id()).isEqualTo("c1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "not json                                            | bad_json",
        "[1,2]                                               | bad_json",
        "''                                                  | bad_json",
        "{\"room\":\"lobby\"}                                | missing_field",
        "{\"type\":7,\"room\":\"lobby\"}                     | missing_field",
        "{\"type\":\"dance\",\"room\":\"lobby\"}             | unknown_type",
        "{\"type\":\"join\"}                                 | missing_field",
        "{\"type\":\"join\",\"room\":\"\"}                   | bad_room",
        "{\"type\":\"join\",\"room\":\"has space\"}          | bad_room",
        "{\"type\":\"join\",\"room\":\"lobby\",\"since\":-1} | missing_field",
        "{\"type\":\"join\",\"room\":\"lobby\",\"since\":1.5}| missing_field",
        "{\"type\":\"publish\",\"room\":\"lobby\"}           | missing_field",
        "{\"type\":\"publish\",\"room\":\"lobby\",\"body\":null} | missing_field",
        "{\"type\":\"join\",\"room\":\"lobby\",\"id\":5}     | bad_id",
    })
    void refusesBadFramesWithTheirCode(String frame, String code) {
        assertThatThrownBy(() -> codec.decode(frame))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code().wire()).isEqualTo(code));
    }

    @Test
    void refusesOverLongRoomNamesAndIds() {
        String room = "r".repeat(65);
        assertThatThrownBy(() -> codec.decode("{\"type\":\"join\",\"room\":\"" + room + "\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ROOM));
        String id = "i".repeat(65);
        assertThatThrownBy(() -> codec.decode("{\"type\":\"join\",\"room\":\"a\",\"id\":\"" + id + "\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ID));
    }

    @Test
    void refusesDeepNestingAndHugeNumbersAsBadJson() {
        String deep = "{\"type\":\"publish\",\"room\":\"a\",\"body\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThatThrownBy(() -> codec.decode(deep))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON));
        String huge = "{\"type\":\"publish\",\"room\":\"a\",\"body\":" + "9".repeat(500) + "}";
        assertThatThrownBy(() -> codec.decode(huge))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON));
    }

    @Test
    void errorCarriesTheClientsIdWhenItCouldBeRead() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\"dance\",\"room\":\"a\",\"id\":\"c9\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.id()).isEqualTo("c9"));
    }

    @Test
    void messageTemplateSplicesTheSeqIntoValidJson() throws Exception {
        JsonNode body = json.readTree("{\"text\":\"hi \\\"there\\\" \\u0000\",\"n\":1}");
        FrameTemplate template = codec.messageTemplate("lobby", body, "node-2", 1700000000123L);
        JsonNode event = json.readTree(new String(template.fill(42), StandardCharsets.UTF_8));
        assertThat(event.get("type").asText()).isEqualTo("message");
        assertThat(event.get("room").asText()).isEqualTo("lobby");
        assertThat(event.get("seq").asLong()).isEqualTo(42);
        assertThat(event.get("node").asText()).isEqualTo("node-2");
        assertThat(event.get("sentAt").asLong()).isEqualTo(1700000000123L);
        assertThat(event.get("body")).isEqualTo(body);
        assertThat(new String(template.fill(7), StandardCharsets.UTF_8)).doesNotContain("\n");
    }

    @Test
    void counterTemplateCarriesTheValue() throws Exception {
        JsonNode event = json.readTree(codec.counterTemplate("lobby", "node-1").fill(9));
        assertThat(event.toString()).isEqualTo("{\"type\":\"counter\",\"room\":\"lobby\",\"counter\":9,\"node\":\"node-1\"}");
    }

    @Test
    void encodesEventsWithTypeFirstAndWithoutNulls() {
        String welcome = new String(codec.encode(new ServerEvent.Welcome("node-1", "s1", "sticky")), StandardCharsets.UTF_8);
        assertThat(welcome).isEqualTo("{\"type\":\"welcome\",\"node\":\"node-1\",\"session\":\"s1\",\"lb\":\"sticky\"}");
        String error = new String(codec.encode(new ServerEvent.Error("bad_json", "nope", null)), StandardCharsets.UTF_8);
        assertThat(error).isEqualTo("{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"nope\"}");
        String ack = new String(codec.encode(new ServerEvent.Ack("c1", "lobby", 42L, null)), StandardCharsets.UTF_8);
        assertThat(ack).isEqualTo("{\"type\":\"ack\",\"id\":\"c1\",\"room\":\"lobby\",\"seq\":42}");
    }

    @Test
    void httpBodyMustBeJson() {
        assertThatThrownBy(() -> codec.parseBody("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON));
        assertThatThrownBy(() -> codec.parseBody("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD));
    }

    @Test
    void acceptsRoomNamesAndIdsOfExactlyTheLimitAndSinceZero() throws Exception {
        String room = "r".repeat(64);
        String id = "i".repeat(64);
        ClientCommand command = codec.decode("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"" + id + "\",\"since\":0}");
        assertThat(command.room()).isEqualTo(room);
        assertThat(command.id()).isEqualTo(id);
        assertThat(((ClientCommand.Join) command).since()).isZero();
        assertThat(((ClientCommand.Join) codec.decode("{\"type\":\"join\",\"room\":\"a\",\"since\":17}")).since()).isEqualTo(17L);
    }

    @Test
    void anHttpBodyIsAnyJsonValueButNullOrNothing() throws Exception {
        assertThat(codec.parseBody("{\"n\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(json.readTree("{\"n\":1}"));
        assertThat(codec.parseBody("7".getBytes(StandardCharsets.UTF_8)).asInt()).isEqualTo(7);
        assertThatThrownBy(() -> codec.parseBody(new byte[0]))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD));
    }

    @Test
    void aBadJsonErrorQuotesTheParsersFirstLineCutTo80Characters() {
        String frame = "{\"type\":\"publish\",\"room\":\"a\",\"body\":" + "x".repeat(300) + "}";
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON);
            assertThat(e.getMessage()).doesNotContain("\n").endsWith("…");
            String quoted = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
            assertThat(quoted).hasSize(81);
        });
        assertThatThrownBy(() -> codec.parseBody("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.getMessage())
                        .startsWith("body is not valid JSON: ").hasSizeGreaterThan("body is not valid JSON: ".length()));
    }

    @Test
    void checkRoomLetsValidNamesThroughAndRefusesOthersAsBadRoom() throws Exception {
        Codec.checkRoom("lobby-1.a:b_c");
        for (String bad : new String[] {null, "", "has space", "r".repeat(65)}) {
            assertThatThrownBy(() -> Codec.checkRoom(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ROOM));
        }
    }

    @Test
    void everyServerEventIsEncodedWithItsOwnType() {
        java.util.Map<ServerEvent, String> events = java.util.Map.of(
                new ServerEvent.Joined("r", 1, 0, 2, null, null, null), "joined",
                new ServerEvent.Left("r", null), "left",
                new ServerEvent.Presence("r", 3), "presence",
                new ServerEvent.Move("rebalance", 100, "node-2"), "move",
                new ServerEvent.Closed(1001, "going away"), "close");
        events.forEach((event, type) -> assertThat(new String(codec.encode(event), StandardCharsets.UTF_8))
                .startsWith("{\"type\":\"" + type + "\""));
    }

    @Test
    void aProtocolErrorBecomesAnErrorEventWithItsCodeMessageAndId() {
        ServerEvent.Error event = new ProtocolException(ErrorCode.BAD_ROOM, "no such room", "c7").toEvent();
        assertThat(event).isEqualTo(new ServerEvent.Error("bad_room", "no such room", "c7"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.meaning()).as(code.wire()).isNotBlank();
        }
        assertThat(CloseCodes.pingTimeout(30)).isEqualTo("ping timeout: nothing received for 30 s");
        assertThat(CloseCodes.migrate(250)).isEqualTo("migrate: reconnect in 250 ms");
    }
}
