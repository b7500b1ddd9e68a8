package dev.wslab.loadtest.scenarios;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.SplittableRandom;

/**
 * What a client does, whatever carries it: over a WebSocket ({@link Client}) or an HTTP session —
 * an event stream or long polls, commands as POSTs ({@link SessionSteps}). The scenarios are written
 * against this, so the same load runs over every transport.
 */
interface Steps {
    ChainBuilder start();

    /** Connects (a socket, or a session and its stream) and waits for the welcome; sets {@code online}. */
    ChainBuilder connect();

    /** Joins the user's room, resuming from the last seq it saw. */
    ChainBuilder join();

    /** Publishes one message and waits for it to come back; the session is failed if the transport broke. */
    ChainBuilder publish();

    /** Pings and waits for the pong; the session is failed if the transport broke. */
    ChainBuilder heartbeat();

    ChainBuilder reconnect(int attempts);

    /** Records whatever arrived that no step waited for. */
    ChainBuilder readInbox();

    ChainBuilder finish();

    SplittableRandom random(Session session);

    static Steps of(Params params, Recorder recorder) {
        Client client = new Client(params, recorder);
        return switch (params.transport()) {
            case "ws" -> client;
            case "sse", "poll" -> new SessionSteps(params.transport(), client, recorder);
            default -> throw new IllegalArgumentException("wslab.transport must be ws, sse or poll: " + params.transport());
        };
    }
}
