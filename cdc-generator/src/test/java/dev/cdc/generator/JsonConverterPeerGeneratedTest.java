package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.codec.EpochTimestampType;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.generator.schema.DecimalMode;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka Connect's own JsonConverter (schemas enabled) reads every kind of generated event, and reads it to the
 * values our decoder gives: every table, every operation including the snapshot, every schema the scenarios
 * produce, in each decimal mode. A real Debezium consumer can therefore read the generator's messages unchanged.
 */
class JsonConverterPeerGeneratedTest {

    /** Examples checked per kind (table, operation, row schema); the kinds are what matters, not the count. */
    private static final int PER_KIND = 3;

    private static JsonConverter converter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "converter.type", "value"), false);
        return converter;
    }

    private record Kind(String table, Operation op, ConnectSchema schema) {
    }

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void jsonConverterReadsEveryKindOfGeneratedEventToOurValues(DecimalMode mode) {
        GeneratedRun run = Runs.allScenariosRun(mode);
        Map<Kind, List<GeneratedRun.Delivered>> examples = new LinkedHashMap<>();
        List<GeneratedRun.Delivered> large = new ArrayList<>();
        List<GeneratedRun.Delivered> unavailable = new ArrayList<>();
        for (GeneratedRun.Delivered d : run.delivered()) {
            ChangeEvent e = d.event();
            if (e == null) {
                continue;
            }
            List<GeneratedRun.Delivered> list = examples.computeIfAbsent(new Kind(e.table().table(), e.op(), e.valueSchema()),
                    k -> new ArrayList<>());
            if (list.size() < PER_KIND) {
                list.add(d);
            } else if (d.message().body().length > 1 << 20) {
                large.add(d);
            } else if (unavailable.size() < 10 && hasUnavailable(e)) {
                unavailable.add(d);
            }
        }
        JsonConverter converter = converter();
        List<GeneratedRun.Delivered> checked = new ArrayList<>(large);
        checked.addAll(unavailable);
        examples.values().forEach(checked::addAll);

        for (GeneratedRun.Delivered d : checked) {
            SchemaAndValue theirs = converter.toConnectData("server1.SALES." + d.event().table().table(), d.message().body());
            assertSameEvent(d, (Struct) theirs.value());
        }

        Set<String> tableOps = examples.keySet().stream().map(k -> k.table() + " " + k.op().code()).collect(Collectors.toSet());
        for (String table : List.of("ORDERS", "ORDER_ITEMS", "CUSTOMERS", "PRODUCTS")) {
            assertThat(tableOps).contains(table + " r", table + " c", table + " u", table + " d");
        }
        assertThat(tableOps).contains("AUDIT_LOG c");
        // the schema scenarios: CUSTOMERS before S1, after S1, S2, S5; PRODUCTS before S3, after S3, S4, S6
        assertThat(examples.keySet().stream().filter(k -> k.table().equals("CUSTOMERS")).map(Kind::schema).distinct().count())
                .isGreaterThanOrEqualTo(4);
        assertThat(examples.keySet().stream().filter(k -> k.table().equals("PRODUCTS")).map(Kind::schema).distinct().count())
                .isGreaterThanOrEqualTo(4);
        // the 2 MB document of X6 and LOBs the connector did not re-read
        assertThat(checked).anyMatch(d -> d.message().body().length > 2 << 20).anyMatch(d -> hasUnavailable(d.event()));
    }

    private static boolean hasUnavailable(ChangeEvent e) {
        return e.after() != null && e.after().containsValue(Unavailable.VALUE);
    }

    private static void assertSameEvent(GeneratedRun.Delivered d, Struct envelope) {
        ChangeEvent ours = d.event();
        String where = d.message().topic() + " message " + d.index();
        assertThat(envelope.schema().name()).as(where).isEqualTo("server1.SALES." + ours.table().table() + ".Envelope");
        assertThat(envelope.getString("op")).as(where).isEqualTo(ours.op().code());
        assertThat(envelope.getInt64("ts_ms")).as(where).isEqualTo(ours.tsMs());
        Struct source = envelope.getStruct("source");
        SourceInfo s = ours.source();
        assertThat(List.of(source.getString("scn"), source.getString("snapshot"), source.getString("table"), source.getInt64("ts_ms")))
                .as(where).containsExactly(s.scn(), s.snapshot(), s.table(), s.tsMs());
        assertThat(source.getString("commit_scn")).as(where).isEqualTo(s.commitScn());
        assertThat(source.getString("txId")).as(where).isEqualTo(s.txId());
        if (ours.transaction() == null) {
            assertThat(envelope.get("transaction")).as(where).isNull();
        } else {
            assertThat(envelope.getStruct("transaction").getString("id")).as(where).isEqualTo(ours.transaction().id());
        }
        assertSameRow(where + " before", ours.before(), ours.valueSchema(), envelope.getStruct("before"));
        assertSameRow(where + " after", ours.after(), ours.valueSchema(), envelope.getStruct("after"));
    }

    private static void assertSameRow(String where, Map<String, Object> ours, ConnectSchema schema, Struct theirs) {
        if (ours == null) {
            assertThat(theirs).as(where).isNull();
            return;
        }
        assertThat(theirs).as(where).isNotNull();
        assertThat(theirs.schema().fields()).extracting(Field::name).as(where).containsExactlyElementsOf(ours.keySet());
        for (ConnectSchema.Field field : schema.fields()) {
            String column = where + "." + field.name();
            Object value = ours.get(field.name());
            Object their = theirs.get(field.name());
            if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> struct = (Map<String, Object>) nested;
                assertSameRow(column, struct, field.schema(), (Struct) their);
            } else {
                assertThat(their).as(column).isEqualTo(connectForm(value, field.schema()));
            }
        }
    }

    /** Our decoded value in the form JsonConverter gives: Debezium's timestamps are plain int64 epoch counts to it. */
    private static Object connectForm(Object value, ConnectSchema schema) {
        if (value instanceof LocalDateTime ldt) {
            EpochTimestampType type = switch (schema.name()) {
                case "io.debezium.time.Timestamp" -> EpochTimestampType.MILLIS;
                case "io.debezium.time.MicroTimestamp" -> EpochTimestampType.MICROS;
                case "io.debezium.time.NanoTimestamp" -> EpochTimestampType.NANOS;
                default -> throw new AssertionError("a LocalDateTime from schema " + schema);
            };
            return type.toEpoch(ldt);
        }
        if (value == Unavailable.VALUE) {
            return Unavailable.PLACEHOLDER;
        }
        if (value instanceof BigDecimal) {
            assertThat(schema.name()).isEqualTo("org.apache.kafka.connect.data.Decimal");
        }
        return value;
    }
}
