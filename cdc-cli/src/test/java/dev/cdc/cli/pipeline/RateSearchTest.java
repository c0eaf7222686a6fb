package dev.cdc.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.cli.pipeline.RateSearch.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    /** A pipeline that holds any rate up to its capacity and drains at its capacity beyond. */
    private static List<Outcome> runAgainst(double capacity, double generatorCeiling, RateSearch search) {
        List<Outcome> done = new ArrayList<>();
        for (Optional<Double> next = search.next(done); next.isPresent(); next = search.next(done)) {
            double asked = next.get();
            boolean limited = asked > generatorCeiling;
            done.add(new Outcome(asked, !limited && asked <= capacity, limited, Math.min(asked, capacity)));
        }
        return done;
    }

    private static double highestHeld(List<Outcome> done) {
        return done.stream().filter(Outcome::held).mapToDouble(Outcome::asked).max().orElse(0);
    }

    @Test
    void whenTheFirstRateIsNotHeldItSearchesDownAndEndsWithAFigure() {
        // the report said "sustained 0 events/s" when 2,000/s was not held on a busy machine
        List<Outcome> done = runAgainst(1_400, Double.MAX_VALUE, new RateSearch(List.of(2_000.0, 3_000.0), 2));
        assertThat(done).extracting(Outcome::asked).containsExactly(2_000.0, 1_260.0, 1_630.0);
        assertThat(highestHeld(done)).isEqualTo(1_260.0);
    }

    @Test
    void whenEveryRateIsHeldItSearchesUp() {
        List<Outcome> done = runAgainst(10_000, Double.MAX_VALUE, new RateSearch(List.of(1_000.0, 2_000.0), 2));
        assertThat(done).extracting(Outcome::asked).containsExactly(1_000.0, 2_000.0, 2_500.0, 3_125.0);
    }

    @Test
    void itBisectsBetweenTheHighestHeldAndTheLowestNotHeldWithinItsBudget() {
        List<Outcome> done = runAgainst(1_700, Double.MAX_VALUE, new RateSearch(List.of(1_000.0, 2_000.0, 3_000.0), 3));
        assertThat(done).extracting(Outcome::asked).containsExactly(1_000.0, 2_000.0, 1_500.0, 1_750.0, 1_625.0);
        assertThat(highestHeld(done) / 1_700).isBetween(0.9, 1.0);
    }

    @Test
    void itStopsWhenTheBracketIsTightOrTheGeneratorIsTheLimit() {
        assertThat(runAgainst(2_050, Double.MAX_VALUE, new RateSearch(List.of(2_000.0, 2_100.0), 5)))
                .extracting(Outcome::asked).containsExactly(2_000.0, 2_100.0);
        assertThat(runAgainst(Double.MAX_VALUE, 2_500, new RateSearch(List.of(2_000.0, 3_000.0), 5)))
                .extracting(Outcome::asked).containsExactly(2_000.0, 3_000.0);
        assertThat(runAgainst(1_000, Double.MAX_VALUE, new RateSearch(List.of(2_000.0), 0)))
                .extracting(Outcome::asked).containsExactly(2_000.0);
    }

    @Test
    void aPipelineThatDrainsNothingEndsTheSearchInsteadOfAskingForZero() {
        assertThat(runAgainst(0, Double.MAX_VALUE, new RateSearch(List.of(1_000.0), 5)))
                .extracting(Outcome::asked).containsExactly(1_000.0);
    }
}
