package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The broker benchmark's options; nothing here starts a broker. */
class BrokerBenchmarkTest {

    @Test
    void commandLineFlags() {
        BrokerBenchmark.Options o = BrokerBenchmark.parse(new String[] {
                "--messages", "5,000", "--rounds", "5", "--out", "x.json", "--data-dir", "d"});
        assertThat(o.messages()).isEqualTo(5000);
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(o.out()).isEqualTo(Path.of("x.json"));
        assertThat(o.dataParent()).isEqualTo(Path.of("d"));
        assertThat(o.warmupMessages()).as("warm-up defaults to a full measurement").isEqualTo(5000);
        assertThat(o.withWarmup(100).warmupMessages()).isEqualTo(100);
        assertThat(BrokerBenchmark.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--messages", "many"}))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--rounds", "0"}))
                .hasMessageContaining("rounds must be at least 1");
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--bogus", "1"}))
                .hasMessageContaining("unknown flag --bogus");
    }
}
