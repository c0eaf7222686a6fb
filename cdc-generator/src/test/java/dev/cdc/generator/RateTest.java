package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The --rate flag: per minute, per second, per hour or max; a bare number is per minute, like EVENTS_PER_MINUTE. */
class RateTest {

    @ParameterizedTest
    @CsvSource({
        "5000/min, 83.33333333",
        "200/s, 200",
        "5000, 83.33333333",
        "60, 1",
        "1.5/s, 1.5",
        "7200/h, 2",
        "' 120 / M ', 2",
        "30/minute, 0.5",
        "10/sec, 10",
        "10/second, 10",
        "3600/hour, 1",
    })
    void parsesEveryAcceptedForm(String text, double perSecond) {
        Rate rate = Rate.parse(text);

        assertThat(rate.isMax()).isFalse();
        assertThat(rate.perSecond()).isCloseTo(perSecond, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"max", "MAX", " Max "})
    void maxMeansAsFastAsPossible(String text) {
        assertThat(Rate.parse(text)).isEqualTo(Rate.MAX);
        assertThat(Rate.parse(text).isMax()).isTrue();
        assertThat(Rate.parse(text)).hasToString("max");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"fast", "0", "0/s", "-5/s", "5000/day", "/s", "5000/", "1e400", "NaN", "Infinity/s",
        "200/s/x", "five/min", "max/s"})
    void refusesAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Rate.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid rate \"" + text + "\"")
                .hasMessageContaining("expected N/min, N/s or max, N > 0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN})
    void aRateIsPositive(double perSecond) {
        assertThatThrownBy(() -> new Rate(perSecond)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void writesWholePerMinuteRatesAsPerMinute() {
        assertThat(Rate.parse("5000/min")).hasToString("5000/min");
        assertThat(Rate.parse("200/s")).hasToString("12000/min");
        assertThat(Rate.parse("5000")).hasToString("5000/min");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5000/min", "200/s", "max", "7.5/min", "1/h", "100/h", "0.001/s", "123456789/s"})
    void itsTextParsesBackToTheSameRate(String text) {
        Rate rate = Rate.parse(text);

        assertThat(Rate.parse(rate.toString())).isEqualTo(rate);
    }
}
