package dev.cdc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic both benchmarks report with. */
class StatisticsTest {

    @Test
    void medianOfOddAndEvenCountsAndOfNone() {
        assertThat(Statistics.median(new double[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(Statistics.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Statistics.median(new double[] {7})).isEqualTo(7.0);
        assertThat(Statistics.median(new double[0])).isNaN();
    }

    @Test
    void medianDoesNotReorderItsInput() {
        double[] values = {3, 1, 2};
        Statistics.median(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void ratioIsNaNWithoutAPositiveDivisor() {
        assertThat(Statistics.ratio(800, 1000)).isEqualTo(0.8);
        assertThat(Statistics.ratio(800, 0)).isNaN();
        assertThat(Statistics.ratio(Double.NaN, 1000)).isNaN();
    }

    @Test
    void rateIsMessagesPerSecond() {
        assertThat(Statistics.rate(20_000, 4_000_000_000L)).isEqualTo(5_000.0);
        assertThat(Statistics.rate(20_000, 0)).isNaN();
    }

    @Test
    void perMessageMicrosIsNaNForAnUnknownTime() {
        assertThat(Statistics.perMessageMicros(90_000_000L, 1000)).isEqualTo(90.0);
        assertThat(Statistics.perMessageMicros(-1, 1000)).isNaN();
        assertThat(Statistics.perMessageMicros(1000, 0)).isNaN();
    }

    @Test
    void roundingKeepsNaN() {
        assertThat(Statistics.round1(12.345)).isEqualTo(12.3);
        assertThat(Statistics.round4(0.123456)).isEqualTo(0.1235);
        assertThat(Statistics.round1(Double.NaN)).isNaN();
        assertThat(Statistics.round4(Double.NaN)).isNaN();
    }
}
