package dev.cdc.common.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrySettingsTest {

    private static final RetrySettings.Keys KEYS = RetrySettings.Keys.under("sink.rest");

    @Test
    void readsItsKeysUnderTheSinksSection() {
        RetrySettings s = KEYS.from(Configuration.empty().with(Map.of("sink.rest.retry.initial-delay", "50ms",
                "sink.rest.retry.max-delay", "3s", "sink.rest.circuit.failure-rate", "70",
                "sink.rest.circuit.open-for", "1s")));
        assertThat(s).isEqualTo(new RetrySettings(Duration.ofMillis(50), Duration.ofSeconds(3), 2.0, 70,
                Duration.ofSeconds(1)));
        assertThat(KEYS.all()).extracting(k -> k.key()).containsExactly("sink.rest.retry.initial-delay",
                "sink.rest.retry.max-delay", "sink.rest.circuit.failure-rate", "sink.rest.circuit.open-for");
    }

    @Test
    void defaultsWaitFrom200msUpTo10s() {
        RetrySettings s = RetrySettings.defaults();
        assertThat(s.initialDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.circuitOpenFor()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRefusedNamingTheKeys() {
        Configuration c = Configuration.empty().with(Map.of("sink.rest.retry.initial-delay", "5s",
                "sink.rest.retry.max-delay", "1s"));
        assertThatThrownBy(() -> KEYS.from(c)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sink.rest.retry.max-delay").hasMessageContaining("max delay: expected at least");
    }

    @Test
    void everyInvalidValueIsReportedTogether() {
        assertThatThrownBy(() -> new RetrySettings(Duration.ZERO, Duration.ofSeconds(1), 0.5, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial delay").hasMessageContaining("multiplier")
                .hasMessageContaining("circuit failure rate").hasMessageContaining("circuit open-for");
    }
}
