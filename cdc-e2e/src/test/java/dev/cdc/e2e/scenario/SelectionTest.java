package dev.cdc.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private final List<Scenario> catalogue = ScenarioSuite.catalogue();

    @Test
    void everyScenarioForEveryArchitectureItAppliesToWhenNothingIsNamed() {
        List<String> runs = names(Selection.parse(null, null, false, catalogue).select(catalogue));
        assertThat(runs).contains("F1/spark", "F1/flink", "F4/spark", "F5/flink", "D/spark", "D/flink", "O3/flink")
                .doesNotContain("F4/flink", "F5/spark", "F4L/spark", "F5L/flink");
        assertThat(runs.indexOf("F1/spark")).isLessThan(runs.indexOf("F2/spark"));
    }

    @Test
    void theGeneratorsScenariosRunInsideDByDefaultAndAloneWhenNamed() {
        List<String> runs = names(Selection.parse(null, null, false, catalogue).select(catalogue));
        assertThat(runs).doesNotContain("F6/spark", "F10/flink", "S/spark", "X/flink");
        assertThat(names(Selection.parse("spark", "S,X,F6,F10", false, catalogue).select(catalogue)))
                .containsExactly("F6/spark", "F10/spark", "S/spark", "X/spark");
        assertThat(catalogue.stream().filter(s -> s.coveredBy() != null).map(Scenario::coveredBy).distinct().toList())
                .as("they are covered by a scenario that exists and runs by default").containsExactly("D");
    }

    @Test
    void onlyAndArchNarrowTheRunsAndKeepTheCatalogueOrder() {
        List<String> runs = names(Selection.parse("flink", "o1, f7,F1", false, catalogue).select(catalogue));
        assertThat(runs).containsExactly("F1/flink", "O1/flink", "F7/flink");
    }

    @Test
    void longVariantsRunWithLongOrWhenNamed() {
        assertThat(names(Selection.parse("spark", null, true, catalogue).select(catalogue))).contains("F4L/spark");
        assertThat(names(Selection.parse(null, "F5L", false, catalogue).select(catalogue))).containsExactly("F5L/flink");
    }

    @Test
    void aScenarioOfTheOtherArchitectureSelectsNothing() {
        assertThat(Selection.parse("flink", "F4", false, catalogue).select(catalogue)).isEmpty();
    }

    @Test
    void unknownIdsAndArchitecturesAreNamed() {
        assertThatThrownBy(() -> Selection.parse(null, "F1,F99", false, catalogue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F99").hasMessageContaining("F1,F2");
        assertThatThrownBy(() -> Selection.parse("storm", null, false, catalogue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spark or flink");
    }

    @Test
    void bothArchitecturesWhenNoneIsGiven() {
        assertThat(Selection.parse("", null, false, catalogue).architectures())
                .containsExactlyInAnyOrder(ConsumerProcess.SPARK, ConsumerProcess.FLINK);
    }

    private static List<String> names(List<Selection.Run> runs) {
        return runs.stream().map(r -> r.scenario().id() + "/" + r.architecture().label()).toList();
    }
}
