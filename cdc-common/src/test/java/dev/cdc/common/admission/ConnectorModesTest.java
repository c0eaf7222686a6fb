package dev.cdc.common.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One row of an Oracle table as the connector writes it under each mode users run, with the semantic type names
 * and physical forms of Debezium's Oracle type-mapping tables (decimal.handling.mode precise, double and string;
 * time.precision.mode adaptive and connect; binary.handling.mode bytes, base64 and hex; interval.handling.mode
 * numeric and string; XMLTYPE; an unread LOB). Each column decodes to the value the ODS and the API keep.
 */
class ConnectorModesTest {

    private static final String FIELDS = """
            {"type":"int32","optional":false,"field":"ID"},
            {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},"field":"PRECISE"},
            {"type":"struct","optional":true,"name":"io.debezium.data.VariableScaleDecimal","fields":[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}],"field":"NUMBER_ANY"},
            {"type":"double","optional":true,"field":"AS_DOUBLE"},
            {"type":"string","optional":true,"field":"AS_STRING"},
            {"type":"int64","optional":true,"name":"io.debezium.time.Timestamp","field":"ADAPTIVE_MS"},
            {"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","field":"ADAPTIVE_US"},
            {"type":"int64","optional":true,"name":"io.debezium.time.NanoTimestamp","field":"ADAPTIVE_NS"},
            {"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","field":"CONNECT_TS"},
            {"type":"int32","optional":true,"name":"io.debezium.time.Date","field":"ADAPTIVE_DATE"},
            {"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","field":"CONNECT_DATE"},
            {"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","field":"ZONED"},
            {"type":"int64","optional":true,"name":"io.debezium.time.MicroDuration","field":"DURATION_NUMERIC"},
            {"type":"string","optional":true,"name":"io.debezium.time.Interval","field":"DURATION_STRING"},
            {"type":"bytes","optional":true,"field":"RAW_BYTES"},
            {"type":"string","optional":true,"field":"RAW_BASE64"},
            {"type":"string","optional":true,"field":"RAW_HEX"},
            {"type":"string","optional":true,"name":"io.debezium.data.Xml","field":"DOC"},
            {"type":"string","optional":true,"field":"LOB"}
            """;

    private static final String AFTER = """
            {"ID":1,"PRECISE":"MDk=","NUMBER_ANY":{"scale":3,"value":"AeJA"},"AS_DOUBLE":123.45,"AS_STRING":"123.45",
             "ADAPTIVE_MS":1700000000123,"ADAPTIVE_US":1700000000123456,"ADAPTIVE_NS":1700000000123456789,
             "CONNECT_TS":1700000000123,"ADAPTIVE_DATE":19675,"CONNECT_DATE":19675,"ZONED":"2023-11-14T22:13:20.123456Z",
             "DURATION_NUMERIC":90061000000,"DURATION_STRING":"P1DT1H1M1S","RAW_BYTES":"AQID","RAW_BASE64":"AQID",
             "RAW_HEX":"010203","DOC":"<a><b>1</b></a>","LOB":"__debezium_unavailable_value"}
            """;

    @Test
    void everyModeDecodesToTheValueTheTargetsKeep() {
        String body = "{\"schema\":{\"type\":\"struct\",\"name\":\"server1.INVENTORY.MODES.Envelope\",\"fields\":["
                + "{\"type\":\"struct\",\"optional\":true,\"name\":\"server1.INVENTORY.MODES.Value\",\"field\":\"after\","
                + "\"fields\":[" + FIELDS + "]}]},\"payload\":{\"before\":null,\"after\":" + AFTER + ",\"source\":"
                + "{\"version\":\"3.0.0.Final\",\"connector\":\"oracle\",\"ts_ms\":1700000000000,\"scn\":\"5000\","
                + "\"schema\":\"INVENTORY\",\"table\":\"MODES\"},\"op\":\"c\",\"ts_ms\":1700000000100}}";
        Admission admission = new Admission(new AdmissionSettings(TopicLayout.defaults(),
                Map.of(new TableId("INVENTORY", "MODES"), List.of("ID"))));

        Admitted a = admission.admit(new BrokerMessage("cdc/oracle/INVENTORY/MODES/insert", Map.of(),
                body.getBytes(StandardCharsets.UTF_8)));

        assertThat(a).isInstanceOf(Admitted.Change.class);
        Map<String, Object> row = ((Admitted.Change) a).event().after();
        assertThat(row.get("PRECISE")).isEqualTo(new BigDecimal("123.45")); // 0x3039 = 12345, scale 2
        assertThat(row.get("NUMBER_ANY")).isEqualTo(new BigDecimal("123.456")); // 0x01E240 = 123456, scale 3
        assertThat(row.get("AS_DOUBLE")).isEqualTo(123.45);
        assertThat(row.get("AS_STRING")).isEqualTo("123.45");
        assertThat(row.get("ADAPTIVE_MS")).isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123"));
        assertThat(row.get("ADAPTIVE_US")).isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123456"));
        assertThat(row.get("ADAPTIVE_NS")).isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123456789"));
        assertThat(row.get("CONNECT_TS")).isEqualTo(java.time.Instant.parse("2023-11-14T22:13:20.123Z"));
        assertThat(row.get("ADAPTIVE_DATE")).isEqualTo(LocalDate.parse("2023-11-14"));
        assertThat(row.get("CONNECT_DATE")).isEqualTo(LocalDate.parse("2023-11-14"));
        assertThat(row.get("ZONED")).isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20.123456Z"));
        assertThat(row.get("DURATION_NUMERIC")).isEqualTo(90_061_000_000L); // microseconds, as the connector sends
        assertThat(row.get("DURATION_STRING")).isEqualTo("P1DT1H1M1S");
        assertThat((byte[]) row.get("RAW_BYTES")).containsExactly(1, 2, 3);
        assertThat(row.get("RAW_BASE64")).isEqualTo("AQID");
        assertThat(row.get("RAW_HEX")).isEqualTo("010203");
        assertThat(row.get("DOC")).isEqualTo("<a><b>1</b></a>");
        assertThat(row.get("LOB")).isSameAs(Unavailable.VALUE);
        // and every value fits the column type the sinks derive from its schema
        ((Admitted.Change) a).event().valueSchema().fields().forEach(field -> {
            Object value = row.get(field.name());
            if (value != Unavailable.VALUE) {
                assertThat(dev.cdc.common.schema.ValueType.of(field.schema()).coerce(value)).as(field.name()).isNotNull();
            }
        });
    }
}
