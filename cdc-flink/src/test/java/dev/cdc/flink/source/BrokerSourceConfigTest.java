package dev.cdc.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class BrokerSourceConfigTest {

    private static final String QUEUE = "cdc/oracle/SALES/*/>::cdc.events";

    @Test
    void theEndpointComesFromTheBrokerSectionAndTheTuningFromTheSourceSettings() {
        Configuration config = Configuration.empty().with(Map.of("broker.host", "10.0.0.5", "broker.port", "5673",
                "broker.username", "cdc", "broker.password", "s3cret", "broker.reconnect.max-delay", "7s",
                "flink.source.max-unacknowledged", "1000", "flink.source.poll-timeout", "50ms",
                "flink.source.max-unacknowledged-bytes", "16mb"));
        BrokerSourceConfig source = BrokerSourceConfig.from(config, QUEUE).withPrefetch(200);
        AmqpEndpoint endpoint = source.endpoint();
        assertThat(endpoint.host()).isEqualTo("10.0.0.5");
        assertThat(endpoint.port()).isEqualTo(5673);
        assertThat(endpoint.username()).isEqualTo("cdc");
        assertThat(endpoint.password()).isEqualTo("s3cret");
        assertThat(endpoint.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(source.queue()).isEqualTo(QUEUE);
        assertThat(source.prefetch()).isEqualTo(200);
        assertThat(source.maxUnacknowledged()).isEqualTo(1000);
        assertThat(source.maxUnacknowledgedBytes()).isEqualTo(16L << 20);
        assertThat(source.pollTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(source.maxMessagesPerFetch()).isEqualTo(500);
    }

    @Test
    void aLeasedQueuesReadersWaitForItsLeaseAndOtherQueuesReadersDoNot() {
        Map<String, String> queue = Map.of("queues.cdc.events.subscriptions", "[cdc/oracle/SALES/>]");
        Configuration leased = Configuration.empty().with(queue).with(Map.of("queues.cdc.events.access", "leased"));
        assertThat(BrokerSourceConfig.from(leased, QUEUE).lease()).isEqualTo("cdc.events.lease");
        assertThat(BrokerSourceConfig.from(leased, "cdc.events").lease()).as("a Solace queue name").isEqualTo("cdc.events.lease");
        Configuration exclusive = Configuration.empty().with(queue).with(Map.of("queues.cdc.events.access", "exclusive"));
        assertThat(BrokerSourceConfig.from(exclusive, QUEUE).lease()).isNull();
        assertThat(BrokerSourceConfig.from(Configuration.empty(), QUEUE).lease()).as("a queue not configured here").isNull();
        assertThat(BrokerSourceConfig.from(leased, QUEUE).toString()).contains("lease cdc.events.lease");
    }

    @Test
    void aBadSettingIsReportedByItsKey() {
        Configuration config = Configuration.empty().with(Map.of("flink.source.max-messages-per-fetch", "lots"));
        assertThatThrownBy(() -> BrokerSourceConfig.from(config, QUEUE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("flink.source.max-messages-per-fetch");
    }

    @Test
    void byDefaultAReaderHoldsAt64MbOfUnacknowledgedBodies() {
        assertThat(BrokerSourceConfig.from(Configuration.empty(), QUEUE).maxUnacknowledgedBytes()).isEqualTo(64L << 20);
    }

    @Test
    void thePasswordNeverShowsInItsText() {
        BrokerSourceConfig source = BrokerSourceConfig.of(
                new AmqpEndpoint("127.0.0.1", 5672, "cdc", "s3cret", 1, Duration.ZERO, Duration.ofSeconds(1),
                        Duration.ZERO),
                QUEUE);
        assertThat(source.toString()).contains("127.0.0.1:5672", "cdc", QUEUE).doesNotContain("s3cret");
        assertThat(new BrokerSource(source).toString()).doesNotContain("s3cret");
    }

    @Test
    void theByteBoundIsAShareOfTheHeapUnlessConfigured() {
        // a 256 MB task manager fed 1 MB documents ran out of memory with a fixed 64 MB (scenario F8)
        assertThat(BrokerSourceSettings.maxUnacknowledgedBytes(0, 256L << 20)).isEqualTo(16L << 20);
        assertThat(BrokerSourceSettings.maxUnacknowledgedBytes(0, 6L << 30)).isEqualTo(64L << 20);
        assertThat(BrokerSourceSettings.maxUnacknowledgedBytes(0, 8L << 20)).isEqualTo(1L << 20);
        assertThat(BrokerSourceSettings.maxUnacknowledgedBytes(128L << 20, 256L << 20)).isEqualTo(128L << 20);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> new BrokerSourceConfig(" ", 0, null, null, Duration.ZERO, Duration.ZERO, "", 0, 10,
                Duration.ZERO, 5, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker.host")
                .hasMessageContaining("broker.port")
                .hasMessageContaining("queue")
                .hasMessageContaining("prefetch")
                .hasMessageContaining("flink.source.poll-timeout")
                .hasMessageContaining("flink.source.max-unacknowledged")
                .hasMessageContaining("flink.source.max-unacknowledged-bytes");
    }

    @Test
    void itTravelsWithTheJobGraph() throws Exception {
        BrokerSourceConfig source = BrokerSourceConfig.of(AmqpEndpoint.local(5672), QUEUE).withMaxUnacknowledged(900);
        assertThat(InstantiationUtil.clone(source)).isEqualTo(source);
        assertThat(InstantiationUtil.clone(new BrokerSource(source)).config()).isEqualTo(source);
    }
}
