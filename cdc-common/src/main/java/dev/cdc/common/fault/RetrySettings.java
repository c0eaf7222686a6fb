package dev.cdc.common.fault;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a sink waits out a transient fault: exponential backoff from {@code initialDelay}, times {@code multiplier} per
 * retry, capped at {@code maxDelay} (each wait jittered by up to half), behind a circuit breaker that opens when
 * {@code circuitFailureRate} percent of the recent calls failed and then lets no call through for
 * {@code circuitOpenFor}. There is deliberately no maximum number of attempts: an outage of any length is waited
 * out, never turned into dead letters. Checked when built; serializable so a job can ship it to its tasks.
 */
public record RetrySettings(Duration initialDelay, Duration maxDelay, double multiplier, int circuitFailureRate,
                            Duration circuitOpenFor) implements Serializable {

    public static final double DEFAULT_MULTIPLIER = 2.0;

    public RetrySettings {
        List<String> problems = new ArrayList<>();
        if (initialDelay == null || initialDelay.toMillis() < 1) {
            problems.add("initial delay: expected at least 1ms, was " + initialDelay);
        }
        if (maxDelay == null || initialDelay != null && maxDelay.compareTo(initialDelay) < 0) {
            problems.add("max delay: expected at least the initial delay (" + initialDelay + "), was " + maxDelay);
        }
        if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
            problems.add("multiplier: expected a number in [1, 10], was " + multiplier);
        }
        if (circuitFailureRate < 1 || circuitFailureRate > 100) {
            problems.add("circuit failure rate: expected a percentage in [1, 100], was " + circuitFailureRate);
        }
        if (circuitOpenFor == null || circuitOpenFor.toMillis() < 1) {
            problems.add("circuit open-for: expected at least 1ms, was " + circuitOpenFor);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid retry settings: " + String.join("; ", problems));
        }
    }

    /** 200 ms doubling up to 10 s; the circuit opens at 50 % failures for 5 s. */
    public static RetrySettings defaults() {
        return Keys.under("defaults").from(Configuration.empty());
    }

    /**
     * The settings a sink reads under its own section ({@code sink.rest}, {@code ods}): {@code PREFIX.retry.initial-delay},
     * {@code PREFIX.retry.max-delay}, {@code PREFIX.circuit.failure-rate}, {@code PREFIX.circuit.open-for}. Declare
     * them once per sink as a constant and add {@link #all()} to the settings the consumer validates.
     */
    public record Keys(Setting<Duration> initialDelay, Setting<Duration> maxDelay, Setting<Integer> circuitFailureRate,
                       Setting<Duration> circuitOpenFor) {

        public static Keys under(String prefix) {
            return new Keys(
                    Setting.duration(prefix + ".retry.initial-delay", "200ms",
                            "first wait before retrying a transient fault (target down, 5xx, timeout); doubles each"
                                    + " retry, with jitter; retried for as long as the fault lasts"),
                    Setting.duration(prefix + ".retry.max-delay", "10s", "longest wait between two attempts"),
                    Setting.integer(prefix + ".circuit.failure-rate", 50, 1, 100,
                            "percentage of failed calls (of the last 20) that opens the circuit"),
                    Setting.duration(prefix + ".circuit.open-for", "5s",
                            "how long an open circuit lets no call through before trying again"));
        }

        public List<Setting<?>> all() {
            return List.of(initialDelay, maxDelay, circuitFailureRate, circuitOpenFor);
        }

        /** @throws ConfigException naming the keys, when a value doesn't parse or the values don't fit together */
        public RetrySettings from(Configuration config) {
            try {
                return new RetrySettings(config.get(initialDelay), config.get(maxDelay), DEFAULT_MULTIPLIER,
                        config.get(circuitFailureRate), config.get(circuitOpenFor));
            } catch (ConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(List.of(initialDelay.key() + ", " + maxDelay.key() + ", "
                        + circuitOpenFor.key() + ": " + e.getMessage()));
            }
        }
    }
}
