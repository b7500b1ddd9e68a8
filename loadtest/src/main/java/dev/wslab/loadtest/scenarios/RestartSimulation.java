package dev.wslab.loadtest.scenarios;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.wslab.loadtest.stats.GeneratorCpu;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * restart: steady publishing load while the runner restarts one node a third of the way into the
 * measured phase (it reads the {@code wslab-phases} line this simulation prints). Clients whose
 * node goes away notice it at their next heartbeat (a ping a second between publishes, unless told
 * otherwise) or publish, reconnect with jittered backoff through the same
 * frontend and resume their room. New clients (a third as many) arrive two thirds in, after the node
 * is back. Records reconnect and resume times, messages lost (0 expected with the Redis bus) and
 * where the connections sit at the end: the spread a policy leaves behind.
 */
public class RestartSimulation extends Simulation {
    static final int RECONNECT_ATTEMPTS = 20;

    private final Params params = Params.fromSystemProperties();
    private final Recorder recorder = new Recorder();
    private final Steps steps = Steps.of(params, recorder);
    private final Phases phases = new Phases(params);
    private final GeneratorCpu cpu = new GeneratorCpu();

    /** One client: connect, join, publish steadily until the measured phase ends, reconnecting when dropped. */
    private final ChainBuilder client = exec(steps.start())
            .exec(steps.connect())
            .doIf(s -> !s.isFailed()).then(steps.join())
            // A first connect or join can fail like any other (an HTTP session the load balancer sent
            // elsewhere): the client retries as it would after a drop, and gives up only after that.
            .doIf(Session::isFailed).then(steps.reconnect(RECONNECT_ATTEMPTS))
            .exitHereIfFailed()
            .exec(s -> s.set("publishAt", System.currentTimeMillis() + phases.untilPublishing(steps.random(s)).toMillis()))
            .exec(waitBeating())
            .asLongAs(s -> phases.beforeMeasuredEnd(), false).on(
                    exec(steps.publish())
                            .doIf(Session::isFailed).then(steps.reconnect(RECONNECT_ATTEMPTS))
                            .exec(s -> s.set("publishAt", System.currentTimeMillis()
                                    + phases.nextPublish(steps.random(s), params.publishInterval()).toMillis()))
                            .exec(waitBeating()))
            .pause(s -> phases.untilSettled())
            // A client moved away (a rebalance) as publishing ended has not noticed yet: it comes back
            // and resumes what was on its way to it, as a real client would, before the run is counted.
            .exec(steps.readInbox())
            .doIf(s -> recorder.hasMoveHint(s.userId())).then(steps.reconnect(RECONNECT_ATTEMPTS))
            .exec(steps.finish());

    /** Until {@code publishAt}: a heartbeat every interval, and a reconnect if one finds the socket closed. */
    private ChainBuilder waitBeating() {
        return asLongAs(s -> System.currentTimeMillis() < s.getLong("publishAt")).on(
                pause(s -> phases.nextBeat(s.getLong("publishAt")))
                        .doIf(s -> System.currentTimeMillis() < s.getLong("publishAt")).then(
                                exec(steps.heartbeat()).doIf(Session::isFailed).then(steps.reconnect(RECONNECT_ATTEMPTS))));
    }

    {
        // The clients there from the start, then new ones arriving two thirds into the measured phase,
        // after the restarted node is back: where the policy sends newcomers decides the final spread.
        // Or, with arrivalsPerSecond, a steady stream through the whole measured phase (a scale-out surge).
        Duration arrivalsAt = params.ramp().plusSeconds(1).plus(params.duration().multipliedBy(2).dividedBy(3));
        OpenInjectionStep[] arrivals = params.arrivalsPerSecond() > 0
                ? new OpenInjectionStep[] {nothingFor(params.ramp().plusSeconds(1)),
                        constantUsersPerSec(params.arrivalsPerSecond()).during(Phases.injectable(params.duration()))}
                : new OpenInjectionStep[] {nothingFor(arrivalsAt),
                        rampUsers(Math.max(1, params.users() / 3)).during(Phases.injectable(params.duration().dividedBy(6)))};
        setUp(scenario("restart").exec(client).injectOpen(rampUsers(params.users()).during(Phases.injectable(params.ramp()))),
                scenario("arrivals").exec(client).injectOpen(arrivals))
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
