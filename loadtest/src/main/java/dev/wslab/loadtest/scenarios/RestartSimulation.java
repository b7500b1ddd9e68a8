package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;

/**
 * restart: steady publishing load while the runner restarts one node a third of the way into the
 * measured phase (it reads the {@code wslab-phases} line this simulation prints). Clients whose
 * node goes away notice it at their next publish, reconnect with jittered backoff through the same
 * frontend and resume their room. Records reconnect and resume times, messages lost (0 expected
 * with the Redis bus) and where the connections sit at the end: the spread a policy leaves behind.
 */
public class RestartSimulation extends Simulation {
    static final int RECONNECT_ATTEMPTS = 20;

    private final Params params = Params.fromSystemProperties();
    private final Recorder recorder = new Recorder();
    private final Client client = new Client(params, recorder);
    private final Phases phases = new Phases(params);
    private final GeneratorCpu cpu = new GeneratorCpu();

    private final ScenarioBuilder steady = scenario("restart")
            .exec(client.start())
            .exec(client.connect())
            .exitHereIfFailed()
            .exec(client.join())
            .exitHereIfFailed()
            .pause(s -> phases.untilPublishing(client.random(s)))
            .during(s -> phases.leftToMeasure(), false).on(
                    exec(client.publish())
                            .doIf(Session::isFailed).then(client.reconnect(RECONNECT_ATTEMPTS))
                            .pause(s -> phases.jittered(client.random(s), params.publishInterval())))
            .pause(s -> phases.untilSettled())
            .exec(client.finish());

    {
        setUp(steady.injectOpen(rampUsers(params.users()).during(params.ramp())))
                .protocols(http.baseUrl(params.target()).wsBaseUrl(params.wsTarget())
                        .wsUnmatchedInboundMessageBufferSize(100_000))
                .maxDuration(phases.maxDuration());
    }

    @Override
    public void before() {
        cpu.start();
        phases.start();
    }

    @Override
    public void after() {
        recorder.write(params.out(), cpu.stop());
    }
}
