package dev.cdc.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The topic contract: {@code cdc/oracle/SCHEMA/TABLE/op} and {@code cdc/dlq/SCHEMA/TABLE}, nothing else. */
class TopicNameTest {

    private static final TableId ORDERS = new TableId("SALES", "ORDERS");

    @ParameterizedTest
    @CsvSource({"CREATE, insert", "UPDATE, update", "DELETE, delete", "READ, snapshot"})
    void changeTopicFormatsAndParsesForEveryOperation(Operation op, String level) {
        TopicName topic = TopicName.change(ORDERS, op);
        String text = "cdc/oracle/SALES/ORDERS/" + level;

        assertThat(topic.toString()).isEqualTo(text);
        assertThat(topic.isDeadLetter()).isFalse();
        assertThat(TopicName.parse(text)).isEqualTo(topic);
        assertThat(TopicName.parse(text).operation()).isEqualTo(op);
        assertThat(TopicName.parse(text).table()).isEqualTo(ORDERS);
    }

    @Test
    void deadLetterTopicFormatsAndParses() {
        TopicName dlq = TopicName.deadLetter(ORDERS);

        assertThat(dlq.toString()).isEqualTo("cdc/dlq/SALES/ORDERS");
        assertThat(dlq.isDeadLetter()).isTrue();
        assertThat(dlq.operation()).isNull();
        assertThat(TopicName.parse("cdc/dlq/SALES/ORDERS")).isEqualTo(dlq);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cdc/oracle/SALES/ORDER_ITEMS/update", "cdc/oracle/HR$1/T#2/snapshot", "cdc/dlq/SALES/PRODUCTS"})
    void parseThenFormatIsTheIdentity(String text) {
        assertThat(TopicName.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "cdc/mysql/SALES/ORDERS/insert",     // wrong prefix
            "CDC/oracle/SALES/ORDERS/insert",
            "/cdc/oracle/SALES/ORDERS/insert",
            "cdc/oracle/SALES/insert",           // too few levels
            "cdc/oracle/SALES/ORDERS",
            "cdc/oracle/SALES/ORDERS/insert/x",  // too many levels
            "cdc/oracle/SALES/ORDERS/insert/",
            "cdc/dlq/SALES/ORDERS/insert",
            "cdc/dlq/SALES",
            "cdc/oracle/SALES/ORDERS/upsert",    // unknown op
            "cdc/oracle/SALES/ORDERS/c",
            "cdc/oracle/SALES/ORDERS/INSERT",
            "cdc/oracle//ORDERS/insert",         // empty level
            "cdc/oracle/SALES//insert",
            "cdc/dlq/SALES/",
            "cdc/oracle/SALES/*/insert",         // wildcards
            "cdc/oracle/SALES/ORDERS/*",
            "cdc/oracle/>",
            "cdc/dlq/SALES/>",
            "cdc/oracle/SALES/ORD ERS/insert",   // spaces
            "cdc/oracle/SALES/ORDERS /insert",
            " cdc/oracle/SALES/ORDERS/insert",
            "cdc/oracle/SALES/ORDERS;DROP/insert", // SQL injection look-alikes
            "cdc/oracle/SALES/ORDERS'--/insert",
            "cdc/dlq/SALES/ORDERS;DROP",
            "cdc/oracle/SALES/1ORDERS/insert",   // not an Oracle identifier
            ""})
    void malformedTopicIsRejectedNamingTheExpectedFormat(String text) {
        assertThatThrownBy(() -> TopicName.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("cdc/oracle/{SCHEMA}/{TABLE}/{insert|update|delete|snapshot}")
                .hasMessageContaining("cdc/dlq/{SCHEMA}/{TABLE}");
    }

    @Test
    void nullTopicIsRejectedNamingTheExpectedFormat() {
        assertThatThrownBy(() -> TopicName.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cdc/oracle/{SCHEMA}/{TABLE}");
    }

    @Test
    void rejectionSaysWhichPartIsWrong() {
        assertThatThrownBy(() -> TopicName.parse("cdc/oracle/SALES/ORDERS/upsert"))
                .hasMessageContaining("unknown operation \"upsert\"");
        assertThatThrownBy(() -> TopicName.parse("cdc/oracle/SALES/ORDERS;DROP/insert"))
                .hasMessageContaining("invalid table name \"ORDERS;DROP\"");
        assertThatThrownBy(() -> TopicName.parse("cdc/oracle/SALES"))
                .hasMessageContaining("wrong levels");
    }

    @Test
    void tableIdsThatCannotBeTopicLevelsCannotBeBuilt() {
        // the check happens before a topic (or SQL) is ever formatted
        assertThatThrownBy(() -> new TableId("SALES", "ORDERS/insert")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TableId("SALES", ">")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TableId("SALES", "ORDERS;DROP")).isInstanceOf(IllegalArgumentException.class);
    }
}
