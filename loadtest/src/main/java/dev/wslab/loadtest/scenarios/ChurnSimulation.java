package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.wslab.loadtest.stats.GeneratorCpu;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * churn: users hold a connection for a while, publishing, then drop it and come back after a gap —
 * keeping their cookies, as a browser tab does. Records the node each reconnect lands on (the
 * sticky frontend should bring a user back to the same node, round-robin should not), how long
 * reconnect and resume take, and whether every member got every message across its reconnects
 * (resume from the last seq seen: no gap, no duplicate). Publishing stops with the measured phase,
 * so that every member is still there to receive what was published.
 */
public class ChurnSimulation extends Simulation {
    private final Params params = Params.fromSystemProperties();
    private final Recorder recorder = new Recorder();
    private final Client client = new Client(params, recorder);
    private final Phases phases = new Phases(params);
    private final GeneratorCpu cpu = new GeneratorCpu();

    private final ScenarioBuilder churn = scenario("churn")
            .exec(client.start())
            .exec(client.connect())
            .exitHereIfFailed()
            .exec(client.join())
            .exitHereIfFailed()
            .pause(s -> phases.untilPublishing(client.random(s)))
            .asLongAs(s -> phases.beforeMeasuredEnd(), false).on(
                    during(params.hold(), false).on(
                            doIf(s -> phases.measuring() && s.getBoolean("online")).then(client.publish())
                                    .pause(s -> phases.nextPublish(client.random(s), params.publishInterval())))
                            .exec(client.close())
                            .pause(s -> phases.jittered(client.random(s), params.gap()))
                            .exec(client.comeBack()))
            .pause(s -> phases.untilSettled())
            .exec(client.finish());

    {
        setUp(churn.injectOpen(rampUsers(params.users()).during(Phases.injectable(params.ramp()))))
                .protocols(Protocol.of(params))
                .maxDuration(phases.maxDuration().plus(params.hold()).plus(params.gap()));
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
