package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.Ws;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The steps a wslab client takes, shared by the scenarios: connect, join (resuming from the last
 * seq it saw), publish and wait for its own message to come back through the bus, and read what
 * else arrived. Every step reports to the {@link Recorder}.
 *
 * <p>Each connection of a user gets its own Gatling WebSocket name, so that a socket the server
 * closed (a restart, a drain) is simply left behind and a fresh one opened; Gatling's own
 * reconnect would replay the connect without the resume (it is off: a send on a closed socket fails
 * the step, "max reconnects is reached", and the user's own reconnect loop takes over).
 *
 * <p>What it makes of the events it receives is {@link ServerEvents}', and how it comes back after a
 * drop {@link Reconnection}'s: the HTTP session transports share both.
 */
final class Client implements Steps {
    static final Duration AWAIT = Duration.ofSeconds(10);

    private final Params params;
    private final Recorder recorder;
    private final ServerEvents events;
    private final Reconnection reconnection;

    Client(Params params, Recorder recorder) {
        this.params = params;
        this.recorder = recorder;
        this.events = new ServerEvents(recorder);
        this.reconnection = new Reconnection(params, recorder);
    }

    /**
     * The user's first step: its own random source (the same seed and user id give the same choices
     * on every run) and its room.
     */
    @Override
    public ChainBuilder start() {
        return exec(s -> {
            SplittableRandom random = new SplittableRandom(params.seed() * 1_000_003L + s.userId());
            return s.set("random", random).set("room", pickRoom(random));
        });
    }

    @Override
    public SplittableRandom random(Session session) {
        return session.get("random");
    }

    /** A room by Zipf weights (room-0 the largest), so room sizes follow a realistic distribution. */
    String pickRoom(SplittableRandom random) {
        double total = 0;
        for (int r = 0; r < params.rooms(); r++) {
            total += 1.0 / (r + 1);
        }
        double x = random.nextDouble() * total;
        for (int r = 0; r < params.rooms(); r++) {
            x -= 1.0 / (r + 1);
            if (x <= 0) {
                return "room-" + r;
            }
        }
        return "room-" + (params.rooms() - 1);
    }

    private static Ws socket(String request) {
        return ws(request).wsName(s -> "ws" + s.getInt("conn"));
    }

    /** Opens a new socket and waits for the welcome event; records the node it landed on. */
    @Override
    public ChainBuilder connect() {
        return exec(s -> s.set("conn", s.contains("conn") ? s.getInt("conn") + 1 : 1)
                        .set("connectingAt", System.currentTimeMillis()))
                // A reconnect names the node it was on, so the nodes count where reconnects land by policy.
                // The room in the URL is what the affinity policy hashes (HAProxy's url_param); the others ignore it.
                .exec(socket("connect").connect(s -> "/ws?room=" + s.getString("room")
                        + (s.contains("node") ? "&previous=" + s.getString("node") : "")).await(AWAIT).on(
                        ws.checkTextMessage("welcome").check(
                                jsonPath("$.type").is("welcome"),
                                jsonPath("$.node").saveAs("node"))))
                .exec(s -> {
                    if (s.isFailed()) {
                        return s.set("online", false);
                    }
                    recorder.connected(s.userId(), s.getString("node"), sinceDrop(s));
                    return s.set("online", true);
                });
    }

    /** Pings and waits for the pong: a socket the server closed is noticed now, not at the next publish. */
    @Override
    public ChainBuilder heartbeat() {
        return exec(readInbox())
                .exec(socket("ping").sendText(Client::pingCommand)
                        .await(AWAIT).on(ws.checkTextMessage("pong")
                                .matching(bodyString().transformWithSession(this::seen).is("pong"))))
                .exec(Client::afterHeartbeat);
    }

    /** A pong is an exchange that worked: an outage is timed from the last one, as from a publish's. */
    static Session afterHeartbeat(Session s) {
        return s.isFailed() ? s : s.set("lastOkAt", System.currentTimeMillis());
    }

    /** Joins the session's room; after a reconnect it resumes from the last seq the user saw there. */
    @Override
    public ChainBuilder join() {
        return exec(readInbox()).exec(socket("join").sendText(this::joinCommand).await(AWAIT).on(ws.checkTextMessage("joined")
                        .matching(bodyString().transformWithSession(this::seen).is("joined"))
                        .check(bodyString().saveAs("joinedEvent"))))
                .exec(this::afterJoin);
    }

    /** A join's outcome, from the {@code joinedEvent} a transport saved: resume and outage times. */
    Session afterJoin(Session s) {
        if (s.isFailed()) {
            return s.set("online", false);
        }
        JsonNode joined = parse(s.getString("joinedEvent"));
        recorder.joined(s.userId(), s.getString("room"), joined.path("seq").asLong(),
                joined.path("resumed").asLong(-1), joined.path("missed").asLong(0), sinceDrop(s));
        if (s.contains("droppedAt") && s.contains("lastOkAt")) {
            recorder.outage(System.currentTimeMillis() - s.getLong("lastOkAt"));
        }
        // Joined is an exchange that worked too: a client dropped before its first publish has an outage.
        return s.remove("droppedAt").set("lastOkAt", System.currentTimeMillis());
    }

    /**
     * Publishes one message and waits for it to come back to this client: Gatling's response time of
     * "publish" is publish → receipt through the bus. The key makes every message countable.
     */
    @Override
    public ChainBuilder publish() {
        return exec(this::beforePublish)
                // Gatling empties its buffer of unread frames when it sends: read them first.
                .exec(readInbox())
                // The id makes a refused publish (Redis away: error "unavailable") answer at once with
                // an error naming it, instead of leaving the check to time out; the ack it also brings
                // is read and ignored.
                .exec(socket("publish").sendText(Client::publishCommand)
                        .await(AWAIT).on(ws.checkTextMessage("own message back")
                                .matching(bodyString().transformWithSession(this::seen)
                                        .in(s -> List.of("message:" + s.getString("key"), "error:" + s.getString("key"))))
                                .check(bodyString().transformWithSession((body, s) -> parse(body).path("type").asText())
                                        .saveAs("publishAnswer"))))
                .exec(this::afterPublish);
    }

    /** Numbers the next message and records it as being published; its key makes it countable. */
    Session beforePublish(Session s) {
        int n = s.contains("n") ? s.getInt("n") + 1 : 1;
        String key = s.userId() + "-" + n;
        recorder.publishing(s.getString("room"), key);
        return s.set("n", n).set("key", key).set("sentAt", System.currentTimeMillis());
    }

    /** A publish's outcome: failed (the transport broke), refused (an error event naming it) or back. */
    Session afterPublish(Session s) {
        if (s.isFailed()) {
            recorder.publishFailed(s.getString("room"), s.getString("key"));
            return s;
        }
        if ("error".equals(s.getString("publishAnswer"))) {
            // Refused, visibly: nobody is owed it, and the connection is fine.
            recorder.publishFailed(s.getString("room"), s.getString("key"));
            return s.remove("publishAnswer");
        }
        return s.remove("publishAnswer").set("lastOkAt", System.currentTimeMillis());
    }

    /** The join command: resuming from the last seq the user saw in its room, if any. */
    String joinCommand(Session s) {
        ObjectNode join = JsonNodeFactory.instance.objectNode().put("type", "join").put("room", s.getString("room"));
        long since = recorder.lastSeq(s.userId(), s.getString("room"));
        if (since >= 0) {
            join.put("since", since);
        }
        return join.toString();
    }

    static String pingCommand(Session s) {
        return "{\"type\":\"ping\",\"id\":\"h" + s.userId() + "\"}";
    }

    /** The publish command for the message {@link #beforePublish} numbered. */
    static String publishCommand(Session s) {
        return JsonNodeFactory.instance.objectNode()
                .put("type", "publish").put("room", s.getString("room")).put("id", s.getString("key"))
                .set("body", JsonNodeFactory.instance.objectNode().put("k", s.getString("key")))
                .toString();
    }

    /** Records every room message that arrived outside a check, and counts error events. */
    @Override
    public ChainBuilder readInbox() {
        return exec(ws.processUnmatchedMessages(s -> "ws" + s.getInt("conn"), (List<WsInboundMessage> messages, Session s) -> {
            for (WsInboundMessage m : messages) {
                if (m instanceof WsInboundMessage.Text text) {
                    events.record(s, text.message(), m.timestamp());
                }
            }
            return s;
        }));
    }

    static long sinceDrop(Session s) {
        return s.contains("droppedAt") ? System.currentTimeMillis() - s.getLong("droppedAt") : -1;
    }

    /**
     * After a step failed because the server closed the socket (a restart, a drain, a kill):
     * reconnect with jittered backoff and resume the room, as a real client does. Gives up after
     * {@code attempts}, leaving the user offline (counted: its owed messages count as lost).
     */
    @Override
    public ChainBuilder reconnect(int attempts) {
        return reconnect(attempts, this);
    }

    /** The reconnect loop, over the connect and join steps of {@code via} (any transport). */
    ChainBuilder reconnect(int attempts, Steps via) {
        return reconnection.loop(attempts, via);
    }

    /**
     * Comes back after dropping the connection on purpose (churn), keeping its cookies: reconnect and
     * resume times run from the moment it starts to reconnect, not from the drop.
     */
    ChainBuilder comeBack() {
        return exec(s -> s.set("droppedAt", System.currentTimeMillis()))
                .exec(connect())
                .doIf(s -> s.getBoolean("online")).then(join())
                .exec(Session::markAsSucceeded);
    }

    /** The user's last step: the end-of-run spread is taken before the first one leaves. */
    @Override
    public ChainBuilder finish() {
        return exec(s -> {
            recorder.endOfRun();
            return s;
        }).exec(close());
    }

    ChainBuilder close() {
        return exec(readInbox()).exec(socket("close").close()).exec(s -> {
            recorder.disconnected(s.userId());
            return s;
        });
    }

    /**
     * Every frame that arrives while a check waits passes through here exactly once: Gatling drops
     * frames that do not match a pending check, so this is where they are counted. Frames that
     * arrive between checks go to Gatling's buffer and are counted by {@link #readInbox()}. Returns
     * what the checks match on: the event type, and for a message its key.
     */
    private String seen(String frame, Session s) {
        return events.record(s, frame, System.currentTimeMillis());
    }

    /** Records one event the client received (any transport); returns what checks match on. */
    String record(Session s, String frame, long atMillis) {
        return events.record(s, frame, atMillis);
    }

    static JsonNode parse(String frame) {
        return ServerEvents.parse(frame);
    }
}
