package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the raw client sets by hand so that it does the adapter's work. */
class RawJmsClientTest {

    @Test
    void theGroupIsTheAdaptersOne() {
        assertThat(RawJmsClient.group("cdc/oracle/BENCH/T/insert", "{\"ID\":1}")).isEqualTo("cdc/oracle/BENCH/T|{\"ID\":1}");
    }
}
