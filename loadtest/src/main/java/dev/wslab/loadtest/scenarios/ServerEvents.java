package dev.wslab.loadtest.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatling.javaapi.core.Session;
import java.io.IOException;

/**
 * What a client makes of each event the server sends it: the event is parsed once, counted in the
 * {@link Recorder} (a delivery, the publisher's own round trip, a move hint, an error) and reduced
 * to what the steps' checks match on. One place for it, whatever the transport, so that a WebSocket
 * frame, an SSE event and a long poll's answer are counted alike.
 */
final class ServerEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recorder recorder;

    ServerEvents(Recorder recorder) {
        this.recorder = recorder;
    }

    /** Records one event the client received; returns the event type, and for a message or an error its key. */
    String record(Session s, String frame, long atMillis) {
        JsonNode event = parse(frame);
        String type = event.path("type").asText();
        switch (type) {
            case "message" -> {
                String key = event.path("body").path("k").asText(null);
                recorder.received(s.userId(), event.path("room").asText(), key, event.path("seq").asLong(),
                        event.path("sentAt").asLong(0), atMillis);
                if (key != null && key.equals(s.getString("key")) && s.contains("sentAt")) {
                    recorder.roundTrip(atMillis - s.getLong("sentAt"));
                }
                return type + ":" + key;
            }
            case "move" -> recorder.moveHint(s.userId(), event.path("retryAfterMs").asLong(0));
            case "ack" -> recorder.acked(event.path("id").asText(), event.path("seq").asLong(0));
            case "gap" -> recorder.gap(s.userId(), event.path("room").asText(), event.path("from").asLong(), event.path("to").asLong());
            case "error" -> {
                recorder.error(event.path("code").asText());
                return type + ":" + event.path("id").asText("");
            }
            default -> { }
        }
        return type;
    }

    /** Never throws: a frame that is not JSON is an event of type "unparseable", which no check expects. */
    static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode().put("type", "unparseable");
        }
    }
}
