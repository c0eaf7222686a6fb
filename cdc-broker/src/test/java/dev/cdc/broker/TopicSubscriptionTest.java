package dev.cdc.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.broker.provisioning.TopicSubscription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Solace's subscription rules, which the embedded broker's provisioning must reproduce. */
class TopicSubscriptionTest {

    @ParameterizedTest
    @CsvSource({
        "cdc/oracle/SALES/>,           cdc/oracle/SALES/ORDERS/insert, true",
        "cdc/oracle/SALES/>,           cdc/oracle/SALES/ORDERS,        true",
        "cdc/oracle/SALES/>,           cdc/oracle/SALES,               false",
        "cdc/oracle/*/ORDERS/insert,   cdc/oracle/SALES/ORDERS/insert, true",
        "cdc/oracle/*/ORDERS/insert,   cdc/oracle/SALES/HR/ORDERS/insert, false",
        "cdc/oracle/*/*/delete,        cdc/oracle/SALES/ORDERS/delete, true",
        "cdc/oracle/*/*/delete,        cdc/oracle/SALES/ORDERS/insert, false",
        "cdc/oracle/SALES/ORDERS/insert, cdc/oracle/SALES/ORDERS/insert, true",
        "cdc/oracle/SALES/ORDERS/insert, cdc/oracle/SALES/ORDERS/insert/x, false",
        "cdc/dlq/>,                    cdc/dlq/SALES/ORDERS,           true",
        "cdc/dlq/>,                    cdc/oracle/SALES/ORDERS/insert, false"})
    void matchesBySolaceRules(String pattern, String topic, boolean expected) {
        assertThat(TopicSubscription.parse(pattern).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cdc//oracle", "cdc/>/SALES", "cdc/ora*/x", "cdc/a>", "cdc/ oracle", "/cdc"})
    void rejectsWhatSolaceWouldNotMeanTheSame(String pattern) {
        assertThatThrownBy(() -> TopicSubscription.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid topic subscription")
                .hasMessageContaining("'>' as the last level");
    }
}
