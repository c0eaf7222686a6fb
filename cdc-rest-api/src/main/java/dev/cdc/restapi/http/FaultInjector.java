package dev.cdc.restapi.http;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Draws, per write request, whether to inject a fault. The faults can be changed while the server runs
 * ({@code PUT /admin/faults}); the random source is injected so tests decide the draws.
 */
final class FaultInjector {

    /** What to do to one request: nothing, answer 503, or delay the answer. */
    record Decision(boolean unavailable, Duration delay) {

        static final Decision NONE = new Decision(false, Duration.ZERO);

        boolean delayed() {
            return !delay.isZero();
        }
    }

    private final RandomGenerator random;
    private volatile Faults faults;

    FaultInjector(Faults initial, RandomGenerator random) {
        this.faults = Objects.requireNonNull(initial, "faults");
        this.random = Objects.requireNonNull(random, "random");
    }

    Faults faults() {
        return faults;
    }

    void set(Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    Decision draw() {
        Faults f = faults;
        if (!f.any()) {
            return Decision.NONE;
        }
        // the generator need not be thread-safe (SplittableRandom, a scripted one in tests)
        synchronized (random) {
            if (f.unavailableRatio() > 0 && random.nextDouble() < f.unavailableRatio()) {
                return new Decision(true, Duration.ZERO);
            }
            if (f.latencyRatio() > 0 && !f.latency().isZero() && random.nextDouble() < f.latencyRatio()) {
                return new Decision(false, f.latency());
            }
        }
        return Decision.NONE;
    }
}
