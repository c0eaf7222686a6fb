package dev.cdc.restapi.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What to inject into write requests, for failure tests: answer {@code unavailableRatio} of them 503 before the
 * store sees them, and delay the answer to {@code latencyRatio} of the others by {@code latency}.
 */
public record Faults(double unavailableRatio, Duration latency, double latencyRatio) {

    /** Longest injectable delay; past it a client's timeout, not latency, is what gets tested. */
    public static final Duration MAX_LATENCY = Duration.ofMinutes(10);

    public static final Faults NONE = new Faults(0, Duration.ZERO, 0);

    public Faults {
        Objects.requireNonNull(latency, "latency");
        requireRatio("unavailable_ratio", unavailableRatio);
        requireRatio("latency_ratio", latencyRatio);
        if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be between 0 and " + MAX_LATENCY.toMinutes() + " minutes, was " + latency);
        }
    }

    private static void requireRatio(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a number in [0, 1], was " + value);
        }
    }

    public boolean any() {
        return unavailableRatio > 0 || (latencyRatio > 0 && !latency.isZero());
    }
}
