package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.http.action.sse.SseInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A client on the HTTP fallback transports: a session made with a POST, commands as POSTs, events on
 * a Server-Sent-Events stream ({@code sse}) or by long polling ({@code poll}). Same bookkeeping as
 * the WebSocket {@link Client} (it does the recording), so the figures compare across transports.
 *
 * <p>A request the load balancer sends to a node that does not hold the session is answered 404
 * {@code unknown_session}: the client counts it, and reconnects — a new session, then a join that
 * resumes from the last seq it saw — as Socket.IO's and SockJS's clients do.
 */
final class SessionSteps implements Steps {
    private static final List<Integer> ANSWERS = List.of(200, 201, 202, 204, 404, 410, 503);
    private static final long STREAM_READ_MS = 5;

    private final String transport;
    private final boolean streaming;
    private final Client client;
    private final Recorder recorder;

    SessionSteps(String transport, Client client, Recorder recorder) {
        this.transport = transport;
        this.streaming = transport.equals("sse");
        this.client = client;
        this.recorder = recorder;
    }

    @Override
    public ChainBuilder start() {
        return client.start();
    }

    @Override
    public SplittableRandom random(Session session) {
        return client.random(session);
    }

    /** A session's path; with its room, which the affinity policy hashes, on every request as on a WebSocket's. */
    private static String base(Session s) {
        return "/rt/sessions/" + s.getString("sid");
    }

    private static String withRoom(Session s, String path) {
        return path + (path.contains("?") ? "&" : "?") + "room=" + s.getString("room");
    }

    private static String stream(Session s) {
        return "sse" + s.getInt("conn");
    }

    /** Makes a session (and, for sse, opens its stream and reads the welcome on it). */
    @Override
    public ChainBuilder connect() {
        return exec(s -> s.set("conn", s.contains("conn") ? s.getInt("conn") + 1 : 1).set("streamOpen", false))
                .exec(http("create").post(s -> withRoom(s, "/rt/sessions?transport=" + transport))
                        .check(status().is(201), jsonPath("$.session").saveAs("sid"), jsonPath("$.node").saveAs("node")))
                .doIf(s -> streaming && !s.isFailed()).then(
                        exec(s -> s.set("streamOpen", true))
                                .exec(sse("stream").sseName(SessionSteps::stream).get(s -> withRoom(s, base(s) + "/events"))
                                        .await(Client.AWAIT).on(sse.checkMessage("welcome")
                                                .matching(bodyString().transform(SessionSteps::type).is("welcome")))))
                .exec(s -> {
                    if (s.isFailed()) {
                        return s.set("online", false);
                    }
                    recorder.connected(s.userId(), s.getString("node"), Client.sinceDrop(s));
                    return s.set("online", true);
                });
    }

    @Override
    public ChainBuilder join() {
        return exec(readInbox())
                .exec(command("join", client::joinCommand))
                .doIf(s -> !s.isFailed()).then(awaitEvent(s -> List.of("joined"), "joinedEvent", true))
                .exec(client::afterJoin);
    }

    @Override
    public ChainBuilder publish() {
        return exec(client::beforePublish)
                .exec(readInbox())
                .exec(command("publish", Client::publishCommand))
                .doIf(s -> !s.isFailed()).then(awaitEvent(
                        s -> List.of("message:" + s.getString("key"), "error:" + s.getString("key")), "publishAnswer", false))
                .exec(client::afterPublish);
    }

    @Override
    public ChainBuilder heartbeat() {
        return exec(readInbox())
                .exec(command("ping", Client::pingCommand))
                .doIf(s -> !s.isFailed()).then(awaitEvent(s -> List.of("pong"), "pingAnswer", false))
                .exec(Client::afterHeartbeat);
    }

    /** POSTs a command; a 404 or 410 is the session unknown where the request landed. */
    private ChainBuilder command(String name, Function<Session, String> body) {
        return exec(http(name).post(s -> withRoom(s, base(s) + "/commands")).body(StringBody(body::apply))
                .check(status().in(ANSWERS).saveAs("status")))
                .exec(this::answered);
    }

    private Session answered(Session s) {
        if (s.isFailed()) {
            return s;
        }
        int status = s.getInt("status");
        if (status == 404 || status == 410) {
            recorder.error("unknown_session");
            return s.markAsFailed();
        }
        return status >= 400 ? s.markAsFailed() : s;
    }

    /**
     * Waits up to {@link Client#AWAIT} for an event matching one of {@code expected} (as
     * {@link Client#record} names events), saving it as {@code saveAs} — the event itself, or just its
     * type. A {@code close} event ends the wait too, and fails the session: the node ended it.
     */
    private ChainBuilder awaitEvent(Function<Session, List<String>> expected, String saveAs, boolean wholeEvent) {
        ChainBuilder read = streaming
                // Gatling keeps a stream's events in a buffer until read; reading it every few ms sees
                // each event once, in order, with its arrival time (round trips are measured from that,
                // not from when the loop woke). Gatling's SSE checks would see some events twice.
                ? exec(pause(Duration.ofMillis(STREAM_READ_MS))).exec(sse.processUnmatchedMessages(SessionSteps::stream,
                        (List<SseInboundMessage> messages, Session s) -> {
                            Session next = s;
                            for (SseInboundMessage m : messages) {
                                next = keepIfExpected(next, data(m.message()), m.timestamp(), with(expected.apply(s), "close"));
                            }
                            return next;
                        }))
                : exec(http("poll").get(s -> withRoom(s, base(s) + "/poll")).check(status().in(ANSWERS).saveAs("status"),
                                bodyString().saveAs("polled")))
                        .exec(s -> polled(s, with(expected.apply(s), "close")));
        return exec(s -> s.set("awaitUntil", System.currentTimeMillis() + Client.AWAIT.toMillis()).remove("found"))
                .asLongAs(s -> !s.contains("found") && !s.isFailed() && System.currentTimeMillis() < s.getLong("awaitUntil")).on(read)
                .exec(s -> s.contains("found") || s.isFailed() ? found(s, saveAs, wholeEvent) : s.markAsFailed());
    }

    /** Records one event; keeps it as {@code found} if it is the first that matches. */
    private Session keepIfExpected(Session s, String json, long atMillis, List<String> expected) {
        if (expected.contains(client.record(s, json, atMillis)) && !s.contains("found")) {
            return s.set("found", json);
        }
        return s;
    }

    /** Records a poll's events; keeps the first that matches as {@code found}. */
    private Session polled(Session s, List<String> expected) {
        Session next = answered(s);
        if (next.isFailed() || next.getInt("status") != 200) {
            return next;
        }
        long at = System.currentTimeMillis();
        for (JsonNode event : Client.parse(s.getString("polled"))) {
            next = keepIfExpected(next, event.toString(), at, expected);
        }
        return next.remove("polled");
    }

    private Session found(Session s, String saveAs, boolean wholeEvent) {
        if (s.isFailed() || !s.contains("found")) {
            return s;
        }
        JsonNode event = Client.parse(s.getString("found"));
        Session next = s.remove("found");
        if (event.path("type").asText().equals("close")) {
            return next.markAsFailed();
        }
        return next.set(saveAs, wholeEvent ? event.toString() : event.path("type").asText());
    }

    private static List<String> with(List<String> expected, String also) {
        return java.util.stream.Stream.concat(expected.stream(), java.util.stream.Stream.of(also)).toList();
    }

    /** Gatling hands an SSE event over as {@code {"data":<the data>}}; ours is one JSON event. */
    private static String data(String message) {
        return Client.parse(message).path("data").toString();
    }

    /** The stream's first event; any other event seen before it is read from the buffer later. */
    private static String type(String message) {
        return Client.parse(data(message)).path("type").asText();
    }

    /** Records what arrived unasked: the stream's buffered events, or what a poll finds at once. */
    @Override
    public ChainBuilder readInbox() {
        if (streaming) {
            return doIf(s -> s.contains("streamOpen") && s.getBoolean("streamOpen")).then(
                    exec(sse.processUnmatchedMessages(SessionSteps::stream, (List<SseInboundMessage> messages, Session s) -> {
                        for (SseInboundMessage m : messages) {
                            client.record(s, data(m.message()), m.timestamp());
                        }
                        return s;
                    })));
        }
        return doIf(s -> s.contains("online") && s.getBoolean("online") && !s.isFailed()).then(
                exec(http("read").get(s -> withRoom(s, base(s) + "/poll?waitMs=0")).check(status().in(ANSWERS).saveAs("status"),
                                bodyString().saveAs("polled")))
                        .exec(s -> polled(s, List.of())));
    }

    /** The old stream goes (a real client closes its EventSource), then the WebSocket client's backoff loop. */
    @Override
    public ChainBuilder reconnect(int attempts) {
        return exec(closeStream()).exec(client.reconnect(attempts, this));
    }

    private ChainBuilder closeStream() {
        return doIf(s -> s.contains("streamOpen") && s.getBoolean("streamOpen")).then(
                exec(sse("close").sseName(SessionSteps::stream).close()).exec(s -> s.set("streamOpen", false).markAsSucceeded()));
    }

    @Override
    public ChainBuilder finish() {
        return exec(s -> {
            recorder.endOfRun();
            return s;
        }).exec(readInbox()).exec(closeStream())
                .exec(http("end").delete(s -> withRoom(s, base(s))).check(status().in(ANSWERS)))
                .exec(s -> {
                    recorder.disconnected(s.userId());
                    return s;
                });
    }
}
