package dev.cdc.spark.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.config.Configuration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {

    private static final long MB = 1 << 20;

    @Test
    void memoryBoundsFollowTheHeapUnlessConfigured() {
        Configuration auto = Configuration.empty();
        assertThat(SparkSettings.maxMbPerTrigger(auto, 512 * MB)).isEqualTo(8);
        assertThat(SparkSettings.prefetch(auto, 512 * MB)).as("64 one-MB documents at most").isEqualTo(64);
        assertThat(SparkSettings.maxMbPerTrigger(auto, 6144 * MB)).isEqualTo(64);
        assertThat(SparkSettings.prefetch(auto, 6144 * MB)).isEqualTo(768);
        assertThat(SparkSettings.prefetch(auto, 32 * MB)).isEqualTo(16);

        Configuration set = auto.with(Map.of("spark.max-mb-per-trigger", "8", "spark.prefetch", "200"));
        assertThat(SparkSettings.maxMbPerTrigger(set, 6144 * MB)).isEqualTo(8);
        assertThat(SparkSettings.prefetch(set, 6144 * MB)).isEqualTo(200);
    }
}
