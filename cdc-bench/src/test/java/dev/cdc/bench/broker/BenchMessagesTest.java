package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What both clients send. */
class BenchMessagesTest {

    @Test
    void theBodyHasExactlyTheSizeAskedFor() {
        assertThat(new BenchMessages(1024).body()).hasSize(1024);
        assertThat(new String(new BenchMessages(64).body(), StandardCharsets.US_ASCII)).startsWith("{\"after\":{").endsWith("\"}}");
        assertThat(new BenchMessages(1).body()).hasSize(1);
    }

    @Test
    void scnsCountUpAndKeysCycle() {
        BenchMessages messages = new BenchMessages(16);
        long first = messages.nextScn();
        assertThat(messages.nextScn()).isEqualTo(first + 1);
        assertThat(messages.key(first)).isEqualTo(messages.key(first + BenchMessages.KEYS)).isNotEqualTo(messages.key(first + 1));
        assertThat(messages.key(first)).matches("\\{\"ORDER_ID\":\\d+}");
    }
}
