package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An operation mix is INSERT/UPDATE/DELETE percentages adding up to 100. */
class OperationMixTest {

    @Test
    void parsesInsertUpdateDeletePercentages() {
        assertThat(OperationMix.parse("70/25/5")).isEqualTo(new OperationMix(70, 25, 5));
        assertThat(OperationMix.parse(" 100 / 0 / 0 ")).isEqualTo(new OperationMix(100, 0, 0));
        assertThat(OperationMix.parse("0/0/100")).isEqualTo(new OperationMix(0, 0, 100));
    }

    @Test
    void writesTheFormItParses() {
        assertThat(new OperationMix(20, 75, 5)).hasToString("20/75/5");
        assertThat(OperationMix.parse(new OperationMix(10, 85, 5).toString())).isEqualTo(new OperationMix(10, 85, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"70/25", "70/25/5/0", "a/b/c", "70,25,5", "", "70/25/5.0", "//"})
    void refusesTextThatIsNotThreePercentagesNamingTheForm(String text) {
        assertThatThrownBy(() -> OperationMix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid operation mix \"" + text + "\"")
                .hasMessageContaining("INSERT/UPDATE/DELETE percentages, e.g. 70/25/5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"70/20/5", "70/25/6", "-10/100/10", "110/-5/-5"})
    void refusesPercentagesThatAreNegativeOrDoNotAddUpTo100(String text) {
        assertThatThrownBy(() -> OperationMix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text)
                .hasMessageContaining("must be three non-negative percentages adding up to 100");
    }
}
