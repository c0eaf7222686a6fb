package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admission's settings are validated with the job's own, before anything starts. */
class FlinkPipelineValidationTest {

    private static Configuration config(Map<String, String> settings) {
        return Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of("REST_API_TOKEN", "test-token"))
                .with(settings);
    }

    @Test
    void keyColumnsAndATopicLayoutAreAccepted() {
        assertThatCode(() -> FlinkPipeline.validate(config(Map.of("tables.SALES.CUSTOMERS.key", "CUSTOMER_ID",
                "events.topic-layout", "cdc/{schema}/{table}/{op}")))).doesNotThrowAnyException();
    }

    @Test
    void aBadLayoutATableThatIsNoTableAndATypoFailFastNamingTheirKeys() {
        assertThatThrownBy(() -> FlinkPipeline.validate(config(Map.of("events.topic-layout", "cdc/{table}/{op}",
                "tables.CUSTOMERS.key", "CUSTOMER_ID", "tables.SALES.ORDERS.keys", "ORDER_ID"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("events.topic-layout")
                .hasMessageContaining("tables.SALES.ORDERS.keys: unknown setting");
        assertThatThrownBy(() -> FlinkPipeline.validate(config(Map.of("tables.CUSTOMERS.key", "CUSTOMER_ID"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tables.CUSTOMERS.key");
    }
}
