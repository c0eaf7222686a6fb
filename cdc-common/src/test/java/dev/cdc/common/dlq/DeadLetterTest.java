package dev.cdc.common.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final BrokerMessage ORIGINAL = new BrokerMessage("cdc/oracle/SALES/ORDERS/insert",
            Map.of(MessageProperties.KEY, "{\"ORDER_ID\":7}", MessageProperties.SCN, "42"),
            "{bad".getBytes(StandardCharsets.UTF_8));

    @Test
    void goesToItsTablesDlqTopicWithTheOriginalPayloadAndWhyItFailed() {
        DeadLetter letter = new DeadLetter(ORIGINAL, ErrorType.MALFORMED_JSON, "not JSON", "spark-ods",
                Instant.parse("2026-11-24T10:00:00Z"));
        BrokerMessage m = letter.toBrokerMessage();
        assertThat(m.topic()).isEqualTo("cdc/dlq/SALES/ORDERS");
        assertThat(m.body()).isEqualTo(ORIGINAL.body());
        assertThat(m.properties()).containsEntry(MessageProperties.KEY, "{\"ORDER_ID\":7}")
                .containsEntry(DeadLetter.PROPERTY_ERROR_TYPE, "MALFORMED_JSON")
                .containsEntry(DeadLetter.PROPERTY_ERROR_MESSAGE, "not JSON")
                .containsEntry(DeadLetter.PROPERTY_CONSUMER, "spark-ods")
                .containsEntry(DeadLetter.PROPERTY_ORIGINAL_TOPIC, "cdc/oracle/SALES/ORDERS/insert")
                .containsEntry(DeadLetter.PROPERTY_FAILED_AT, "2026-11-24T10:00:00Z");
    }

    @Test
    void theSameFailureOfTheSameMessageHasOneFingerprintWhenEverItHappens() {
        DeadLetter first = new DeadLetter(ORIGINAL, ErrorType.MALFORMED_JSON, "a", "c1", Instant.EPOCH);
        DeadLetter later = new DeadLetter(ORIGINAL, ErrorType.MALFORMED_JSON, "b", "c2", Instant.now());
        DeadLetter otherReason = new DeadLetter(ORIGINAL, ErrorType.MISSING_KEY, "a", "c1", Instant.EPOCH);
        assertThat(first.fingerprint()).isEqualTo(later.fingerprint()).isNotEqualTo(otherReason.fingerprint());
    }

    @Test
    void aTopicThatNamesNoTableGoesToTheUnknownDlq() {
        BrokerMessage odd = new BrokerMessage("somewhere/else", Map.of(), new byte[] {1});
        assertThat(new DeadLetter(odd, ErrorType.MALFORMED_JSON, "x", "c", Instant.EPOCH).deadLetterTopic())
                .isEqualTo("cdc/dlq/UNKNOWN/UNKNOWN");
    }
}
