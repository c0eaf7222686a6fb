package dev.cdc.common.alert;

import static dev.cdc.common.alert.AlertEvents.ORDERS;
import static dev.cdc.common.alert.AlertEvents.insert;
import static dev.cdc.common.alert.AlertEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.event.EventId;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert's identity and its JSON form, the one the REST API takes and the truth's alerts.jsonl holds. */
class AlertTest {

    static final String BIG_ORDER_JSON = "{\"id\":\"big-order:SALES.ORDERS:1234:5\",\"rule\":\"big-order\",\"table\":\"SALES.ORDERS\","
            + "\"key\":{\"ORDER_ID\":1001},\"event_id\":\"SALES.ORDERS:1234:5\",\"event_time_ms\":1700000000000,"
            + "\"column\":\"TOTAL_AMOUNT\",\"value\":6001.5,\"threshold\":5000,\"message\":\"TOTAL_AMOUNT 6001.50 above 5000\"}";

    private static Alert bigOrder() {
        return AlertRule.above("big-order", ORDERS, "TOTAL_AMOUNT", new BigDecimal("5000"))
                .evaluate(insert(row("TOTAL_AMOUNT", new BigDecimal("6001.50")))).orElseThrow();
    }

    @Test
    void theJsonFormIsExactlyWhatTheRestApiTakes() {
        assertThat(bigOrder().toJson()).isEqualTo(BIG_ORDER_JSON);
    }

    @Test
    void theMapFormHasTheJsonFieldsInOrder() {
        Map<String, Object> map = bigOrder().toMap();

        assertThat(map).containsExactly(
                Map.entry("id", "big-order:SALES.ORDERS:1234:5"),
                Map.entry("rule", "big-order"),
                Map.entry("table", "SALES.ORDERS"),
                Map.entry("key", Map.of("ORDER_ID", 1001L)),
                Map.entry("event_id", "SALES.ORDERS:1234:5"),
                Map.entry("event_time_ms", 1_700_000_000_000L),
                Map.entry("column", "TOTAL_AMOUNT"),
                Map.entry("value", new BigDecimal("6001.5")),
                Map.entry("threshold", 5000L),
                Map.entry("message", "TOTAL_AMOUNT 6001.50 above 5000"));
    }

    @Test
    void anAlertReadBackFromJsonEqualsTheOneWritten() {
        Alert alert = bigOrder();

        assertThat(Alert.fromJson(alert.toJson())).isEqualTo(alert);
        assertThat(Alert.fromJson(BIG_ORDER_JSON)).isEqualTo(alert);
        Alert changed = AlertRule.changed("when", ORDERS, "STATUS").evaluate(AlertEvents.update(
                row("STATUS", "A"), row("STATUS", "B"))).orElseThrow();
        assertThat(Alert.fromJson(changed.toJson())).isEqualTo(changed);
        assertThat(changed.toJson()).contains("\"value\":\"B\",\"threshold\":null,");
    }

    @Test
    void valuesAreHeldInCanonicalForm() {
        EventId event = new EventId(ORDERS, new Position(7, 1));
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("ORDER_ID", 1001);
        key.put("LINE", new BigDecimal("2.00"));
        Alert alert = new Alert(null, "r", ORDERS, key, event, 1L, "AT", LocalDateTime.parse("2026-01-05T08:00:00"),
                new BigDecimal("5000.00"), "m");

        assertThat(alert.id()).isEqualTo("r:SALES.ORDERS:7:1");
        assertThat(alert.key()).containsExactly(Map.entry("ORDER_ID", 1001L), Map.entry("LINE", 2L));
        assertThat(alert.value()).isEqualTo("2026-01-05T08:00:00");
        assertThat(alert.threshold()).isEqualTo(5000L);
        assertThat(alert).isEqualTo(new Alert("r:SALES.ORDERS:7:1", "r", ORDERS, Map.of("ORDER_ID", 1001L, "LINE", 2L),
                event, 1L, "AT", "2026-01-05T08:00:00", 5000, "m"));
    }

    @Test
    void theIdIsTheRuleAndTheEventId() {
        EventId event = new EventId(ORDERS, new Position(7, 1));
        assertThat(Alert.id("big-order", event)).isEqualTo("big-order:SALES.ORDERS:7:1");
        assertThatThrownBy(() -> new Alert("big-order:SALES.ORDERS:7:2", "big-order", ORDERS, null, event, 1L, "A", 1, null, "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be <rule>:<event id>, here big-order:SALES.ORDERS:7:1");
        assertThatThrownBy(() -> new Alert(null, "r", new TableId("SALES", "ITEMS"), null, event, 1L, "A", 1, null, "m"))
                .hasMessageContaining("is not a change of SALES.ITEMS");
    }

    @Test
    void aJsonObjectThatIsNotAnAlertIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Alert.fromJson("{\"rule\":\"r\",\"table\":\"SALES.ORDERS\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("event_time_ms: required in an alert");
        assertThatThrownBy(() -> Alert.fromJson(BIG_ORDER_JSON.replace("\"event_id\":\"SALES.ORDERS:1234:5\"", "\"event_id\":\"x\"")))
                .hasMessageContaining("event id \"x\" must be SCHEMA.TABLE:scn:sequence");
        assertThatThrownBy(() -> Alert.fromJson(BIG_ORDER_JSON.replace("\"rule\":\"big-order\"", "\"rule\":7")))
                .hasMessage("rule: expected text, was 7");
        assertThatThrownBy(() -> Alert.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alert.fromJson("{")).hasMessageStartingWith("not an alert JSON object");
    }

    @Test
    void alertsAreSerializable() throws IOException, ClassNotFoundException {
        Alert alert = bigOrder();
        Alert changed = AlertRule.changed("when", ORDERS, "STATUS").evaluate(AlertEvents.update(
                row("STATUS", "A"), row("STATUS", "B"))).orElseThrow();

        assertThat(roundTrip(List.of(alert, changed))).isEqualTo(List.of(alert, changed));
    }

    static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
