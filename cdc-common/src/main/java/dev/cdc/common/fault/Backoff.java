package dev.cdc.common.fault;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before each retry: {@code initialDelay x multiplier^(retry-1)}, capped at {@code maxDelay}, then jittered
 * by up to half either way (and capped again) so that many callers failing together do not come back together.
 * Pure: the randomness is injected, a test passes a constant 0.5 to get the undisturbed sequence.
 */
public final class Backoff {

    /** A wait lies in [0.5, 1.5) x its undisturbed value (never above the maximum). */
    private static final double JITTER = 0.5;

    private final RetrySettings settings;
    private final DoubleSupplier random;

    /** @param random values in [0, 1) */
    public Backoff(RetrySettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /** The wait before retry number {@code retry} (1 for the first retry after a failed attempt). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1, was " + retry);
        }
        double max = settings.maxDelay().toMillis();
        // a large exponent overflows to infinity, which the cap turns back into the maximum
        double undisturbed = Math.min(max, settings.initialDelay().toMillis() * Math.pow(settings.multiplier(), retry - 1));
        double jittered = undisturbed * (1 - JITTER + 2 * JITTER * random.getAsDouble());
        return Duration.ofMillis(Math.round(Math.min(max, jittered)));
    }
}
