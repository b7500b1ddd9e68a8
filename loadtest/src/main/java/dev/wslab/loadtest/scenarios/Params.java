package dev.wslab.loadtest.scenarios;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scenario is parameterised by, read from {@code -Dwslab.*} system properties so that the
 * runner, the smoke tests and {@code mvn gatling:test} pass them the same way.
 *
 * @param target   the frontend or node, e.g. http://127.0.0.1:8080
 * @param users    virtual users (WebSocket clients)
 * @param ramp     how long their arrival is spread over
 * @param duration the measured phase: publishing, churning or steady load
 * @param rate     publishes per second per user (backend publish: POSTs per second in all)
 * @param seed     every random choice (room, phase offsets) derives from it and the user id
 * @param rooms    rooms the users are spread over, sizes Zipf-distributed
 * @param hold     churn: how long a connection lives before the client drops it
 * @param gap      churn: how long a client stays away before reconnecting
 * @param out      where the scenario writes its own measurements (wslab.json)
 * @param jitter   reconnect backoff with full jitter (true) or the same fixed delays for every
 *                 client (false: the thundering herd the lab shows against it)
 * @param backoffBase the first reconnect's delay cap; it doubles per attempt up to 2 s
 * @param transport   how clients talk to the nodes: ws, sse (event stream + POST) or poll (long polling + POST)
 * @param arrivalsPerSecond restart: new clients arriving steadily through the measured phase
 *                    (0: a burst of a third as many users two thirds in): the stream a node that
 *                    joins meanwhile takes its share of
 * @param settle   after the measured phase, how long users stay to receive what is still in flight
 *                 before they leave (what has not arrived by then counts as lost): 2 s, and longer
 *                 where a run at thousands of users leaves a backlog it is worth telling from a loss
 * @param heartbeat restart: between publishes, a ping this often (0: none), so that a client notices a
 *                 closed socket within it, as a browser would, instead of at its next publish (Gatling
 *                 learns of a close only when it sends): at a publish per 100 s that was most of a run
 */
public record Params(String target, int users, Duration ramp, Duration duration, double rate, long seed, int rooms,
                     Duration hold, Duration gap, Path out, boolean jitter,
                     Duration backoffBase, String transport, double arrivalsPerSecond, Duration settle,
                     Duration heartbeat) {

    public static Params fromSystemProperties() {
        return new Params(
                System.getProperty("wslab.target", "http://127.0.0.1:8080"),
                Integer.getInteger("wslab.users", 30),
                Duration.ofMillis(Long.getLong("wslab.rampMs", 3000)),
                Duration.ofMillis(Long.getLong("wslab.durationMs", 20000)),
                Double.parseDouble(System.getProperty("wslab.rate", "1")),
                Long.getLong("wslab.seed", 1),
                Integer.getInteger("wslab.rooms", 5),
                Duration.ofMillis(Long.getLong("wslab.holdMs", 3000)),
                Duration.ofMillis(Long.getLong("wslab.gapMs", 500)),
                Path.of(System.getProperty("wslab.out", "target/wslab-scenario")),
                Boolean.parseBoolean(System.getProperty("wslab.jitter", "true")),
                Duration.ofMillis(Long.getLong("wslab.backoffBaseMs", 100)),
                System.getProperty("wslab.transport", "ws"),
                Double.parseDouble(System.getProperty("wslab.arrivalsPerSecond", "0")),
                Duration.ofMillis(Long.getLong("wslab.settleMs", 2000)),
                Duration.ofMillis(Long.getLong("wslab.heartbeatMs", 1000)));
    }

    public String wsTarget() {
        return target.replaceFirst("^http", "ws");
    }

    public Duration publishInterval() {
        return Duration.ofMillis(Math.max(1, Math.round(1000 / rate)));
    }
}
