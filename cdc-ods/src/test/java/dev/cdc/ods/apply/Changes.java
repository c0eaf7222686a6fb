package dev.cdc.ods.apply;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TopicName;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test support: hand-made Debezium messages, encoded by the real codec, for the cases a test needs exactly. */
final class Changes {

    static final ConnectSchema INT64 = ConnectSchema.of(SchemaType.INT64, true);
    static final ConnectSchema INT32 = ConnectSchema.of(SchemaType.INT32, true);
    static final ConnectSchema STRING = ConnectSchema.of(SchemaType.STRING, true);
    static final ConnectSchema DECIMAL2 = ConnectSchema.builder(SchemaType.BYTES).optional()
            .name("org.apache.kafka.connect.data.Decimal").parameter("scale", "2").version(1).build();
    static final ConnectSchema TIMESTAMP = ConnectSchema.builder(SchemaType.INT64).optional()
            .name("io.debezium.time.Timestamp").version(1).build();

    private static final DebeziumJsonCodec CODEC = new DebeziumJsonCodec();

    private Changes() {
    }

    /** A value schema with these fields, in order. */
    static ConnectSchema schema(TableId table, Map<String, ConnectSchema> fields) {
        ConnectSchema.Builder b = ConnectSchema.builder(SchemaType.STRUCT).optional()
                .name("server1." + table.schema() + "." + table.table() + ".Value");
        fields.forEach(b::field);
        return b.build();
    }

    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** A message of one change at {@code scn}; the key column is the first field. */
    static BrokerMessage message(TableId table, Operation op, ConnectSchema schema, Map<String, Object> image, long scn) {
        String keyColumn = schema.fields().get(0).name();
        Map<String, Object> key = Map.of(keyColumn, image.get(keyColumn));
        SourceInfo source = new SourceInfo("2.7.0.Final", "oracle", "server1", 1_767_225_600_000L + scn, "false",
                "ORCLPDB1", null, table.schema(), table.table(), "tx" + scn, Long.toString(scn), Long.toString(scn));
        ChangeEvent event = new ChangeEvent(schema, op, op == Operation.DELETE ? image : null,
                op == Operation.DELETE ? null : image, source, 1_767_225_600_000L + scn, null, key);
        String keyJson = DebeziumJsonCodec.keyJson(key);
        return new BrokerMessage(TopicName.change(table, op).toString(),
                Map.of(MessageProperties.KEY, keyJson, MessageProperties.SCN, Long.toString(scn)), CODEC.encode(event));
    }
}
