package dev.wslab.server.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The one place JSON is read and written. Thread-safe: the mapper is configured once and shared.
 *
 * <p>Limits on nesting and number length are tighter than Jackson's defaults because every frame
 * comes from an untrusted client and is decoded on an I/O thread.
 */
public final class Codec {
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_ID_LENGTH = 64;
    private static final String SEQ_MARK = "\u0000seq\u0000";

    private final ObjectMapper mapper;

    public Codec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(32)
                        .maxStringLength(1 << 20)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory).build();
    }

    public ClientCommand decode(String text) throws ProtocolException {
        JsonNode root = parse(text);
        if (!(root instanceof ObjectNode frame)) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "a frame must be a JSON object", null);
        }
        String id = id(frame);
        JsonNode type = frame.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'type' (string) is required", id);
        }
        return switch (type.asText()) {
            case "join" -> new ClientCommand.Join(room(frame, id), since(frame, id), id);
            case "leave" -> new ClientCommand.Leave(room(frame, id), id);
            case "publish" -> new ClientCommand.Publish(room(frame, id), body(frame, id), id);
            case "incr" -> new ClientCommand.Incr(room(frame, id), id);
            case "ping" -> new ClientCommand.Ping(id);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                    "unknown type '" + abbreviate(type.asText()) + "'; expected join, leave, publish, incr or ping", id);
        };
    }

    /** Parses a publish body that arrived over HTTP: any JSON value but null. */
    public JsonNode parseBody(byte[] json) throws ProtocolException {
        try {
            JsonNode body = mapper.readTree(json);
            if (body == null || body.isMissingNode() || body.isNull()) {
                throw new ProtocolException(ErrorCode.MISSING_FIELD, "the body must be a JSON value", null);
            }
            return body;
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "body is not valid JSON: " + firstLine(e), null);
        }
    }

    public static void checkRoom(String room) throws ProtocolException {
        if (room == null || !ROOM.matcher(room).matches()) {
            throw new ProtocolException(ErrorCode.BAD_ROOM, ErrorCode.BAD_ROOM.meaning(), null);
        }
    }

    public byte[] encode(Object event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@code {"type":"message","room":…,"seq":N,"node":…,"sentAt":…,"body":…}} around the seq. */
    public FrameTemplate messageTemplate(String room, JsonNode body, String node, long sentAtMillis) {
        ObjectNode event = object();
        event.put("type", "message").put("room", room).put("seq", SEQ_MARK)
                .put("node", node).put("sentAt", sentAtMillis).set("body", body);
        return split(event);
    }

    /** {@code {"type":"counter","room":…,"counter":N,"node":…}} around the counter value. */
    public FrameTemplate counterTemplate(String room, String node) {
        ObjectNode event = object();
        event.put("type", "counter").put("room", room).put("counter", SEQ_MARK).put("node", node);
        return split(event);
    }

    private FrameTemplate split(ObjectNode event) {
        String json = new String(encode(event), java.nio.charset.StandardCharsets.UTF_8);
        // Jackson escapes control characters, so the mark can only be the placeholder we put there.
        String quoted = "\"" + SEQ_MARK.replace("\u0000", "\\u0000") + "\"";
        int at = json.indexOf(quoted);
        return new FrameTemplate(json.substring(0, at), json.substring(at + quoted.length()));
    }

    private JsonNode parse(String text) throws ProtocolException {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ProtocolException(ErrorCode.BAD_JSON, "empty frame", null);
            }
            return node;
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "not valid JSON: " + firstLine(e), null);
        }
    }

    private static String id(ObjectNode frame) throws ProtocolException {
        JsonNode id = frame.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || id.asText().length() > MAX_ID_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_ID, ErrorCode.BAD_ID.meaning(), null);
        }
        return id.asText();
    }

    private static String room(ObjectNode frame, String id) throws ProtocolException {
        JsonNode room = frame.get("room");
        if (room == null || !room.isTextual()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'room' (string) is required", id);
        }
        if (!ROOM.matcher(room.asText()).matches()) {
            throw new ProtocolException(ErrorCode.BAD_ROOM, ErrorCode.BAD_ROOM.meaning(), id);
        }
        return room.asText();
    }

    private static Long since(ObjectNode frame, String id) throws ProtocolException {
        JsonNode since = frame.get("since");
        if (since == null || since.isNull()) {
            return null;
        }
        if (!since.canConvertToExactIntegral() || !since.canConvertToLong() || since.asLong() < 0) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'since' must be a non-negative integer", id);
        }
        return since.asLong();
    }

    private static JsonNode body(ObjectNode frame, String id) throws ProtocolException {
        JsonNode body = frame.get("body");
        if (body == null || body.isNull()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "field 'body' is required", id);
        }
        return body;
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
