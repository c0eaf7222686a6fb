package dev.cdc.e2e.scenario;

import java.util.Objects;

/**
 * What one scenario observed on one architecture: the lag's peak, how long after the fault healed the lag came
 * back to normal (-1: never, or no fault to heal), messages consumed against published (more consumed than published
 * means redeliveries), the truth check's summary and the verdict with its reason.
 */
public record ScenarioResult(String id, String architecture, String done, long lagPeak, double recoverySeconds,
                             long consumed, long published, String truth, boolean passed, String reason,
                             double seconds) {

    public ScenarioResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(done, "done");
        truth = truth == null ? "not checked" : truth;
        reason = reason == null ? "" : reason;
    }

    /** A scenario that could not run to its end (the pipeline did not start, an exception). */
    public static ScenarioResult error(String id, String architecture, String done, String reason, double seconds) {
        return new ScenarioResult(id, architecture, done, -1, -1, -1, -1, "not checked", false, reason, seconds);
    }
}
