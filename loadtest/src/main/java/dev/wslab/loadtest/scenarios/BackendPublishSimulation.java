package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.wslab.loadtest.stats.GeneratorCpu;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * backend publish: a backend service POSTs events to {@code /api/rooms/{room}/messages} at a
 * constant rate (Gatling times each POST), fanned out to WebSocket listeners spread over the rooms
 * and the nodes. Every listener records every event, so deliveries and losses are counted exactly,
 * and the delivery latency is measured from the node's send time to the listener's receipt.
 */
public class BackendPublishSimulation extends Simulation {
    private final Params params = Params.fromSystemProperties();
    private final Recorder recorder = new Recorder();
    private final Client client = new Client(params, recorder);
    private final Phases phases = new Phases(params);
    private final GeneratorCpu cpu = new GeneratorCpu();

    private final ScenarioBuilder listeners = scenario("listeners")
            .exec(client.start())
            .exec(client.connect())
            .exitHereIfFailed()
            .exec(client.join())
            .exitHereIfFailed()
            // Listeners never send, so Gatling's buffer of unread frames is only emptied here.
            .asLongAs(s -> phases.beforeMeasuredEnd()).on(
                    exec(client.readInbox()).pause(Duration.ofMillis(500)))
            .pause(s -> phases.untilSettled())
            .exec(client.finish());

    private final ScenarioBuilder backend = scenario("backend")
            .exec(client.start())
            .exec(s -> {
                String key = "b" + s.userId();
                recorder.publishing(s.getString("room"), key);
                return s.set("key", key).set("postAt", System.currentTimeMillis());
            })
            .exec(http("POST /api/rooms/{room}/messages")
                    .post(s -> "/api/rooms/" + s.getString("room") + "/messages")
                    .header("Content-Type", "application/json")
                    .body(StringBody(s -> "{\"k\":\"" + s.getString("key") + "\"}"))
                    .check(status().is(200), jsonPath("$.seq").exists()))
            .exec(s -> {
                if (s.isFailed()) {
                    recorder.publishFailed(s.getString("room"), s.getString("key"));
                } else {
                    recorder.httpPublish(System.currentTimeMillis() - s.getLong("postAt"));
                }
                return s;
            });

    {
        Duration untilMeasured = params.ramp().plus(Duration.ofSeconds(1));
        setUp(listeners.injectOpen(rampUsers(params.users()).during(Phases.injectable(params.ramp()))),
                backend.injectOpen(nothingFor(untilMeasured), constantUsersPerSec(params.rate()).during(Phases.injectable(params.duration()))))
                .protocols(Protocol.of(params))
                .maxDuration(phases.maxDuration());
    }

    @Override
    public void before() {
        cpu.start();
        phases.start();
    }

    @Override
    public void after() {
        recorder.write(params.out(), cpu.stop(), phases.hitHardStop());
    }
}
