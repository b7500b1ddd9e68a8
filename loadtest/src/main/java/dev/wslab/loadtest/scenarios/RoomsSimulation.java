package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.wslab.loadtest.stats.GeneratorCpu;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * rooms: users join rooms (Zipf-distributed sizes) and publish at a rate; every user checks that its
 * own messages come back (Gatling times publish → receipt, through Redis even on one node) and
 * records every other member's message, so losses are counted message by message.
 *
 * <p>Phases keep the count exact: every user has joined before anyone publishes (the publish phase
 * starts when the ramp ends), and stays connected until a settle time after the last publish.
 */
public class RoomsSimulation extends Simulation {
    private final Params params = Params.fromSystemProperties();
    private final Recorder recorder = new Recorder();
    private final Client client = new Client(params, recorder);
    private final Phases phases = new Phases(params);
    private final GeneratorCpu cpu = new GeneratorCpu();

    private final ScenarioBuilder rooms = scenario("rooms")
            .exec(client.start())
            .exec(client.connect())
            .exitHereIfFailed()
            .exec(client.join())
            .exitHereIfFailed()
            .pause(s -> phases.untilPublishing(client.random(s)))
            // Until the measured phase ends, not a count of publishes: at a low rate (a run at thousands
            // of users) a count's last publishes fell after the others had left, owed and never read.
            .asLongAs(s -> phases.beforeMeasuredEnd(), false).on(
                    exec(client.publish())
                            .pause(s -> phases.nextPublish(client.random(s), params.publishInterval())))
            .pause(s -> phases.untilSettled())
            .exec(client.finish());

    {
        setUp(rooms.injectOpen(rampUsers(params.users()).during(Phases.injectable(params.ramp()))))
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
