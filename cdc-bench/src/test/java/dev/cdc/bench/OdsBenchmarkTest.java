package dev.cdc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.bench.OdsBenchmark.Mode;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ODS benchmark's figures come from the shared statistics; nothing here is timed. */
class OdsBenchmarkTest {

    @Test
    void mediansAndTheRatioAreTheSharedOnes() {
        Map<Mode, List<Double>> perSecond = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            perSecond.put(mode, List.of(1000.0, 3000.0));
        }
        perSecond.put(Mode.WRITER_STATE, List.of(1500.0, 500.0, 1000.0));
        OdsBenchmark.Result result = new OdsBenchmark.Result(1000, perSecond, 1.0, Path.of("ods.json"));

        assertThat(result.median(Mode.RAW_UPSERT)).as("an even count: the mean of the middle two").isEqualTo(2000.0);
        assertThat(result.median(Mode.WRITER_STATE)).isEqualTo(1000.0);
        assertThat(result.stateRatio()).isEqualTo(0.5);
        assertThat(result.passed()).isFalse();
    }
}
