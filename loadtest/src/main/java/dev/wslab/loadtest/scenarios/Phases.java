package dev.wslab.loadtest.scenarios;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Wall-clock phases of a run, shared by its users: arrival (the ramp), the measured phase, and a
 * settle time ({@link Params#settle()}) in which in-flight messages arrive before anyone
 * disconnects. Users pause until a phase boundary instead of counting their own steps, so a slow
 * connect does not shift the phases.
 */
final class Phases {
    private final Params params;
    private volatile long startMillis = System.currentTimeMillis();

    Phases(Params params) {
        this.params = params;
    }

    /**
     * Called from the simulation's {@code before()}. The line printed lets a runner in another
     * process act at a known point of the run (restart a node a third of the way in).
     */
    void start() {
        startMillis = System.currentTimeMillis();
        System.out.println("wslab-phases start=" + startMillis + " measuredFrom=" + measuredFromMillis()
                + " measuredUntil=" + measuredUntilMillis());
    }

    long measuredFromMillis() {
        return startMillis + params.ramp().toMillis() + 1000;
    }

    long measuredUntilMillis() {
        return measuredFromMillis() + params.duration().toMillis();
    }

    /**
     * Until the measured phase, plus a random offset within one publish interval so users do not
     * publish in lockstep — within the measured phase, so that every user publishes at least once.
     */
    Duration untilPublishing(SplittableRandom random) {
        long offset = random.nextLong(Math.max(1, Math.min(params.publishInterval().toMillis(), params.duration().toMillis())));
        return until(measuredFromMillis() + offset);
    }

    boolean measuring() {
        long now = System.currentTimeMillis();
        return now >= measuredFromMillis() && now < measuredUntilMillis();
    }

    /**
     * Whether the measured phase has not ended yet: the condition of the load loops. (Not a
     * {@code during(leftToMeasure)}: Gatling evaluates a during loop's duration again on every
     * iteration against the loop's start, so a shrinking "time left" ends the loop halfway through.)
     */
    boolean beforeMeasuredEnd() {
        return System.currentTimeMillis() < measuredUntilMillis();
    }

    Duration untilSettled() {
        return until(measuredUntilMillis() + params.settle().toMillis());
    }

    /** An interval ±20 %: regular load without synchronised bursts. */
    Duration jittered(SplittableRandom random, Duration interval) {
        long ms = interval.toMillis();
        return Duration.ofMillis(Math.max(0, ms - ms / 5 + random.nextLong(2 * (ms / 5) + 1)));
    }

    /**
     * The pause before a load loop's next publish: the interval ±20 %, but never past the measured
     * phase's end. At thousands of users the interval outlasts the phase (a publish per 100 s), and an
     * uncapped pause ran into the simulation's hard stop, which ends users before they report.
     */
    Duration nextPublish(SplittableRandom random, Duration interval) {
        Duration jittered = jittered(random, interval);
        Duration left = until(measuredUntilMillis());
        return jittered.compareTo(left) < 0 ? jittered : left;
    }

    /**
     * The pause before the next heartbeat while waiting to publish at {@code publishAtMillis}: the
     * heartbeat interval, never past the publish; with no heartbeat, the whole wait.
     */
    Duration nextBeat(long publishAtMillis) {
        Duration left = until(publishAtMillis);
        return params.heartbeat().isZero() || left.compareTo(params.heartbeat()) < 0 ? left : params.heartbeat();
    }

    /**
     * A ramp's length as Gatling can inject it: at least a second unless zero (all at once). Gatling
     * spreads a ramp's users over its whole seconds, so over 666 ms it injects none but still waits
     * for them: the smoke tests' newcomers never came and every restart run sat until the hard stop,
     * a minute each.
     */
    static Duration injectable(Duration ramp) {
        return ramp.isZero() || ramp.toSeconds() >= 1 ? ramp : Duration.ofSeconds(1);
    }

    /** Called from {@code after()}: whether the hard stop ended the simulation, not its users. */
    boolean hitHardStop() {
        return System.currentTimeMillis() >= startMillis + maxDuration().toMillis() - 1000;
    }

    /** A hard stop for the whole simulation: every load loop ends by itself even if the cluster hangs. */
    Duration maxDuration() {
        return params.ramp().plus(params.duration()).plus(params.settle()).plus(Duration.ofSeconds(60));
    }

    private Duration until(long epochMillis) {
        return Duration.ofMillis(Math.max(0, epochMillis - System.currentTimeMillis()));
    }
}
