package dev.cdc.cli.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * Which sustained rate the pipeline benchmark tries next, so every run ends with a figure: the rates asked for, in
 * order, while they are held; then, within a budget of extra steps, down from a rate not held (starting just under
 * what the consumer drained during it), up from the highest rate held when every asked rate was held, or halfway
 * between the two until they are within 10% of each other.
 */
final class RateSearch {

    /** Brackets this close (failed / held) are as precise as a few-minute step on a shared machine can tell. */
    static final double CLOSE_ENOUGH = 1.10;
    /** Below this a pipeline is broken, not slow: the search stops. */
    static final double LOWEST = 10;

    /** What one step showed: the rate asked, whether the lag stayed bounded, and what the consumer drained. */
    record Outcome(double asked, boolean held, boolean generatorLimited, double consumedPerSecond) {
    }

    private final List<Double> asked;
    private final int extraSteps;

    RateSearch(List<Double> asked, int extraSteps) {
        this.asked = List.copyOf(asked);
        this.extraSteps = extraSteps;
    }

    /** The next rate (events/s) after {@code done}, the steps run so far in order; empty when the search is over. */
    Optional<Double> next(List<Outcome> done) {
        int askedRun = asked.size(); // the asked rates end at the first not held
        for (int i = 0; i < Math.min(done.size(), asked.size()); i++) {
            if (!done.get(i).held()) {
                askedRun = i + 1;
                break;
            }
        }
        if (done.size() < askedRun) {
            return Optional.of(asked.get(done.size()));
        }
        if (done.size() - askedRun >= extraSteps) {
            return Optional.empty();
        }
        Double held = done.stream().filter(Outcome::held).map(Outcome::asked).max(Double::compare).orElse(null);
        Outcome lowestFailed = done.stream().filter(o -> !o.held() && !o.generatorLimited())
                .min((a, b) -> Double.compare(a.asked(), b.asked())).orElse(null);
        if (done.stream().anyMatch(Outcome::generatorLimited) && lowestFailed == null) {
            return Optional.empty(); // the generator is the limit: nothing higher can be asked of the pipeline
        }
        double next;
        if (held == null) { // down: just under what it drained while falling behind, and well under the rate missed
            next = Math.min(0.9 * lowestFailed.consumedPerSecond(), 0.75 * lowestFailed.asked());
        } else if (lowestFailed == null) {
            next = 1.25 * held;
        } else {
            if (lowestFailed.asked() / held <= CLOSE_ENOUGH) {
                return Optional.empty();
            }
            next = (held + lowestFailed.asked()) / 2;
        }
        next = Math.round(next);
        return next < LOWEST ? Optional.empty() : Optional.of(next);
    }
}
