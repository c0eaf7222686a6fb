package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The broker benchmark's options; nothing here starts a broker. */
class BrokerBenchmarkTest {

    @Test
    void theWarmUpDefaultsToAFullMeasurement() {
        BrokerBenchmark.Options o = BrokerBenchmark.Options.defaults().withMessages(5000);
        assertThat(o.warmupMessages()).isEqualTo(5000);
        assertThat(o.withWarmup(100).warmupMessages()).isEqualTo(100);
        assertThat(o.withWarmup(0).warmupMessages()).isZero();
    }

    @Test
    void eachWithChangesOneOption() {
        BrokerBenchmark.Options o = BrokerBenchmark.Options.defaults().withRounds(5).withMessageBytes(3000)
                .withOut(Path.of("x.json")).withDataParent(Path.of("d")).withProgress(null);
        assertThat(o).isEqualTo(new BrokerBenchmark.Options(20_000, 5, -1, 3000, 1000, 1000, Path.of("d"), Path.of("x.json"), null));
    }

    @Test
    void badOptionsAreRefusedAllAtOnce() {
        assertThatThrownBy(() -> BrokerBenchmark.Options.defaults().withRounds(0))
                .hasMessage("rounds must be at least 1, was 0");
        assertThatThrownBy(() -> new BrokerBenchmark.Options(0, 1, -1, 0, 1, 1, null, null, null))
                .hasMessageContaining("messages must be at least 1, was 0")
                .hasMessageContaining("message size must be at least 1 byte, was 0")
                .hasMessageContaining("a data directory is needed");
    }
}
