package dev.cdc.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * Kafka Connect's own JsonConverter is the reference: what we write, it reads to the same values; what it writes
 * (as Debezium's pipeline does), we read to the same values.
 */
class JsonConverterPeerTest {

    private static final String TOPIC = "server1.SALES.ORDERS";
    private static final ConnectSchema ADDRESS = ConnectSchema.builder(SchemaType.STRUCT).optional().name("server1.SALES.Address")
            .field("CITY", ConnectSchema.of(SchemaType.STRING, false))
            .field("ZIP", ConnectSchema.of(SchemaType.STRING, true))
            .build();

    /** A row of every column type and decimal mode the codec knows. */
    private static final ConnectSchema ALL_TYPES = ConnectSchema.builder(SchemaType.STRUCT).name(Events.VALUE_NAME)
            .field("ID", ConnectSchema.of(SchemaType.INT32, false))
            .field("DEC", DecimalType.schema(10, 2, false))
            .field("DEC_NEG", DecimalType.schema(10, 2, true))
            .field("DEC38", DecimalType.schema(38, 0, true))
            .field("DEC_SIGN", DecimalType.schema(5, 0, true))
            .field("DEC_DOUBLE", ConnectSchema.of(SchemaType.FLOAT64, true))
            .field("DEC_STRING", ConnectSchema.of(SchemaType.STRING, true))
            .field("VSD", VariableScaleDecimalType.schema(true))
            .field("I8", ConnectSchema.of(SchemaType.INT8, false))
            .field("I16", ConnectSchema.of(SchemaType.INT16, false))
            .field("I32", ConnectSchema.of(SchemaType.INT32, false))
            .field("I64", ConnectSchema.of(SchemaType.INT64, false))
            .field("F32", ConnectSchema.of(SchemaType.FLOAT32, true))
            .field("F64", ConnectSchema.of(SchemaType.FLOAT64, true))
            .field("FLAG", ConnectSchema.of(SchemaType.BOOLEAN, true))
            .field("TS_MS", EpochTimestampType.MILLIS.schema(true))
            .field("TS_US", EpochTimestampType.MICROS.schema(true))
            .field("TS_NS", EpochTimestampType.NANOS.schema(true))
            .field("TS_PRE_EPOCH", EpochTimestampType.MICROS.schema(true))
            .field("TS_FAR", EpochTimestampType.MILLIS.schema(true))
            .field("TSTZ", ZonedTimestampType.schema(true))
            .field("DAY", ConnectSchema.builder(SchemaType.INT32).optional().name("io.debezium.time.Date").version(1).build())
            .field("CDATE", ConnectSchema.builder(SchemaType.INT32).optional().name(Date.LOGICAL_NAME).version(1).build())
            .field("CTS", ConnectSchema.builder(SchemaType.INT64).optional().name(Timestamp.LOGICAL_NAME).version(1).build())
            .field("NAME", ConnectSchema.of(SchemaType.STRING, true))
            .field("CLOB", ConnectSchema.of(SchemaType.STRING, true))
            .field("BLOB", ConnectSchema.of(SchemaType.BYTES, true))
            .field("RAW", ConnectSchema.of(SchemaType.BYTES, true))
            .field("XML", ConnectSchema.builder(SchemaType.STRING).optional().name("io.debezium.data.Xml").version(1).build())
            .field("FOO", ConnectSchema.builder(SchemaType.INT64).optional().name("com.example.Foo").build())
            .field("ADDR", ADDRESS)
            .field("TAGS", ConnectSchema.builder(SchemaType.ARRAY).optional().valueSchema(ConnectSchema.of(SchemaType.STRING, true)).build())
            .field("ATTRS", ConnectSchema.builder(SchemaType.MAP).optional().valueSchema(ConnectSchema.of(SchemaType.INT64, false)).build())
            .field("NOTE", ConnectSchema.of(SchemaType.STRING, true))
            .build();

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();

    private static JsonConverter converter(Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>(Map.of("schemas.enable", "true", "converter.type", "value"));
        config.putAll(extra);
        JsonConverter converter = new JsonConverter();
        converter.configure(config, false);
        return converter;
    }

    private static Map<String, Object> allTypesRow() {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("CITY", "Zürich");
        address.put("ZIP", null);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("weight", 12L);
        attrs.put("min", Long.MIN_VALUE);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", 1001);
        row.put("DEC", new BigDecimal("49.90"));
        row.put("DEC_NEG", new BigDecimal("-0.01"));
        row.put("DEC38", new BigDecimal("99999999999999999999999999999999999999"));
        row.put("DEC_SIGN", new BigDecimal("-129"));
        row.put("DEC_DOUBLE", new BigDecimal("1234.5678"));
        row.put("DEC_STRING", new BigDecimal("-1E-7"));
        row.put("VSD", new BigDecimal("-3.14159265358979323846"));
        row.put("I8", Byte.MIN_VALUE);
        row.put("I16", Short.MAX_VALUE);
        row.put("I32", Integer.MIN_VALUE);
        row.put("I64", Long.MAX_VALUE);
        row.put("F32", 0.1f);
        row.put("F64", -1.0e300);
        row.put("FLAG", true);
        row.put("TS_MS", LocalDateTime.parse("2026-01-02T03:04:05.678"));
        row.put("TS_US", LocalDateTime.parse("2026-01-02T03:04:05.678901"));
        row.put("TS_NS", LocalDateTime.parse("2026-01-02T03:04:05.678901234"));
        row.put("TS_PRE_EPOCH", LocalDateTime.parse("1969-12-31T23:59:59.999999"));
        row.put("TS_FAR", LocalDateTime.parse("9999-12-31T23:59:59.999"));
        row.put("TSTZ", OffsetDateTime.parse("2026-03-29T01:30:00.123456+02:00"));
        row.put("DAY", LocalDate.parse("1969-12-31"));
        row.put("CDATE", LocalDate.parse("2024-02-29"));
        row.put("CTS", Instant.parse("2026-01-02T03:04:05.678Z"));
        row.put("NAME", "Crème 東京 😀 \"q\"");
        row.put("CLOB", Unavailable.VALUE);
        row.put("BLOB", Unavailable.VALUE);
        row.put("RAW", new byte[] {0, (byte) 0x80, (byte) 0xFF});
        row.put("XML", "<a b=\"1\">é</a>");
        row.put("FOO", -7L);
        row.put("ADDR", address);
        row.put("TAGS", Arrays.asList("x", null, "ÿ"));
        row.put("ATTRS", attrs);
        row.put("NOTE", null);
        return row;
    }

    // ---------------------------------------------------------------- our bytes, their reader

    @Test
    void jsonConverterReadsEveryColumnAsWeDo() {
        ChangeEvent event = Events.insert(ALL_TYPES, allTypesRow());
        byte[] body = codec.encode(event);

        Map<String, Object> ours = codec.decode(body, null).after();
        SchemaAndValue theirs = converter(Map.of()).toConnectData(TOPIC, body);
        Struct after = ((Struct) theirs.value()).getStruct("after");

        assertThat(ours).isNotNull();
        assertThat(after.schema().name()).isEqualTo(Events.VALUE_NAME);
        assertThat(after.schema().isOptional()).isTrue();
        assertThat(after.schema().fields()).extracting(org.apache.kafka.connect.data.Field::name)
                .containsExactlyElementsOf(ours.keySet());

        assertThat(after.get("ID")).isEqualTo(ours.get("ID")).isEqualTo(1001);
        for (String decimal : List.of("DEC", "DEC_NEG", "DEC38", "DEC_SIGN")) {
            assertThat(after.get(decimal)).as(decimal).isInstanceOf(BigDecimal.class).isEqualTo(ours.get(decimal));
        }
        assertThat(ours.get("DEC_SIGN")).isEqualTo(new BigDecimal("-129"));
        assertThat(after.get("DEC_DOUBLE")).isEqualTo(ours.get("DEC_DOUBLE")).isEqualTo(1234.5678);
        assertThat(after.get("DEC_STRING")).isEqualTo(ours.get("DEC_STRING")).isEqualTo("-0.0000001");
        // not a Connect logical type: JsonConverter gives the raw struct
        Struct vsd = after.getStruct("VSD");
        assertThat(new BigDecimal(new BigInteger(vsd.getBytes("value")), vsd.getInt32("scale"))).isEqualTo(ours.get("VSD"));

        for (String integer : List.of("I8", "I16", "I32", "I64", "FOO")) {
            assertThat(after.get(integer)).as(integer).isEqualTo(ours.get(integer));
        }
        assertThat(after.get("F32")).isEqualTo(ours.get("F32")).isEqualTo(0.1f);
        assertThat(after.get("F64")).isEqualTo(ours.get("F64")).isEqualTo(-1.0e300);
        assertThat(after.get("FLAG")).isEqualTo(ours.get("FLAG")).isEqualTo(true);

        // io.debezium.time.* are plain int64 to Connect: the epoch count of the unit
        assertThat(after.get("TS_MS")).isEqualTo(EpochTimestampType.MILLIS.toEpoch((LocalDateTime) ours.get("TS_MS")));
        assertThat(after.get("TS_US")).isEqualTo(EpochTimestampType.MICROS.toEpoch((LocalDateTime) ours.get("TS_US")));
        assertThat(after.get("TS_NS")).isEqualTo(EpochTimestampType.NANOS.toEpoch((LocalDateTime) ours.get("TS_NS")));
        assertThat(after.get("TS_PRE_EPOCH")).isEqualTo(-1L);
        assertThat(after.get("TS_FAR")).isEqualTo(EpochTimestampType.MILLIS.toEpoch((LocalDateTime) ours.get("TS_FAR")));
        assertThat(ours.get("TS_NS")).isEqualTo(LocalDateTime.parse("2026-01-02T03:04:05.678901234"));
        assertThat(OffsetDateTime.parse(after.getString("TSTZ"))).isEqualTo(ours.get("TSTZ"));
        assertThat(after.get("DAY")).isEqualTo(-1);
        assertThat(ours.get("DAY")).isEqualTo(LocalDate.ofEpochDay(-1));
        // Connect's own logical types come back as java.util.Date
        assertThat(((java.util.Date) after.get("CDATE")).toInstant())
                .isEqualTo(((LocalDate) ours.get("CDATE")).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(((java.util.Date) after.get("CTS")).toInstant()).isEqualTo(ours.get("CTS"));

        assertThat(after.get("NAME")).isEqualTo(ours.get("NAME")).isEqualTo("Crème 東京 😀 \"q\"");
        // the placeholder is what Debezium writes; only we turn it into a marker
        assertThat(after.get("CLOB")).isEqualTo(Unavailable.PLACEHOLDER);
        assertThat(ours.get("CLOB")).isSameAs(Unavailable.VALUE);
        assertThat(new String(after.getBytes("BLOB"), StandardCharsets.US_ASCII)).isEqualTo(Unavailable.PLACEHOLDER);
        assertThat(ours.get("BLOB")).isSameAs(Unavailable.VALUE);
        assertThat(after.getBytes("RAW")).isEqualTo((byte[]) ours.get("RAW")).containsExactly(0, 0x80, 0xFF);
        assertThat(after.get("XML")).isEqualTo(ours.get("XML"));

        Struct addr = after.getStruct("ADDR");
        assertThat(addr.schema().name()).isEqualTo("server1.SALES.Address");
        assertThat(Map.of("CITY", addr.get("CITY"))).isEqualTo(Map.of("CITY", ((Map<?, ?>) ours.get("ADDR")).get("CITY")));
        assertThat(addr.get("ZIP")).isNull();
        assertThat(((Map<?, ?>) ours.get("ADDR")).get("ZIP")).isNull();
        assertThat(after.getArray("TAGS")).isEqualTo(ours.get("TAGS")).isEqualTo(Arrays.asList("x", null, "ÿ"));
        assertThat(after.getMap("ATTRS")).isEqualTo(ours.get("ATTRS"));
        assertThat(after.get("NOTE")).isNull();
        assertThat(ours.get("NOTE")).isNull();
    }

    @Test
    void jsonConverterReadsTheEnvelopeAsWeDo() {
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", 1_767_322_800_000L, "last", "ORCLPDB1",
                "4", "SALES", "ORDERS", "0a001b00c3040000", "2122185", "2122190");
        Map<String, Object> before = allTypesRow();
        Map<String, Object> after = allTypesRow();
        after.put("DEC", new BigDecimal("59.90"));
        ChangeEvent event = new ChangeEvent(ALL_TYPES, Operation.UPDATE, before, after, source, 1_767_322_801_234L,
                new TransactionInfo("0a001b00c3040000", 7, 2), null);
        byte[] body = codec.encode(event);

        ChangeEvent ours = codec.decode(body, null);
        SchemaAndValue theirs = converter(Map.of()).toConnectData(TOPIC, body);
        Struct envelope = (Struct) theirs.value();

        assertThat(theirs.schema().name()).isEqualTo("server1.SALES.ORDERS.Envelope");
        assertThat(envelope.getString("op")).isEqualTo(ours.op().code()).isEqualTo("u");
        assertThat(envelope.getInt64("ts_ms")).isEqualTo(ours.tsMs()).isEqualTo(1_767_322_801_234L);
        assertThat(envelope.getStruct("before").get("DEC")).isEqualTo(ours.before().get("DEC")).isEqualTo(new BigDecimal("49.90"));
        assertThat(envelope.getStruct("after").get("DEC")).isEqualTo(ours.after().get("DEC")).isEqualTo(new BigDecimal("59.90"));

        Struct s = envelope.getStruct("source");
        assertThat(s.schema().name()).isEqualTo("io.debezium.connector.oracle.Source");
        SourceInfo decoded = ours.source();
        assertThat(s.getString("version")).isEqualTo(decoded.version()).isEqualTo("2.7.3.Final");
        assertThat(s.getString("connector")).isEqualTo(decoded.connector()).isEqualTo("oracle");
        assertThat(s.getString("name")).isEqualTo(decoded.name()).isEqualTo("server1");
        assertThat(s.getInt64("ts_ms")).isEqualTo(decoded.tsMs()).isEqualTo(1_767_322_800_000L);
        assertThat(s.getString("snapshot")).isEqualTo(decoded.snapshot()).isEqualTo("last");
        assertThat(s.getString("db")).isEqualTo(decoded.db()).isEqualTo("ORCLPDB1");
        assertThat(s.getString("sequence")).isEqualTo(decoded.sequence()).isEqualTo("4");
        assertThat(s.getString("schema")).isEqualTo(decoded.schema()).isEqualTo("SALES");
        assertThat(s.getString("table")).isEqualTo(decoded.table()).isEqualTo("ORDERS");
        assertThat(s.getString("txId")).isEqualTo(decoded.txId()).isEqualTo("0a001b00c3040000");
        assertThat(s.getString("scn")).isEqualTo(decoded.scn()).isEqualTo("2122185");
        assertThat(s.getString("commit_scn")).isEqualTo(decoded.commitScn()).isEqualTo("2122190");
        assertThat(ours.position()).isEqualTo(new Position(2_122_185L, 4L));

        Struct tx = envelope.getStruct("transaction");
        assertThat(tx.schema().name()).isEqualTo("event.block");
        assertThat(tx.getString("id")).isEqualTo(ours.transaction().id()).isEqualTo("0a001b00c3040000");
        assertThat(tx.getInt64("total_order")).isEqualTo(ours.transaction().totalOrder()).isEqualTo(7L);
        assertThat(tx.getInt64("data_collection_order")).isEqualTo(ours.transaction().dataCollectionOrder()).isEqualTo(2L);
    }

    @Test
    void jsonConverterReadsADeleteWithNullAfterAndTransaction() {
        ChangeEvent event = new ChangeEvent(ALL_TYPES, Operation.DELETE, allTypesRow(), null, Events.source(), null, null, null);
        Struct envelope = (Struct) converter(Map.of()).toConnectData(TOPIC, codec.encode(event)).value();
        assertThat(envelope.getString("op")).isEqualTo("d");
        assertThat(envelope.get("after")).isNull();
        assertThat(envelope.get("transaction")).isNull();
        assertThat(envelope.get("ts_ms")).isNull();
        assertThat(envelope.getStruct("before").get("ID")).isEqualTo(1001);
    }

    // ---------------------------------------------------------------- their bytes, our reader

    private static final Schema C_ADDRESS = SchemaBuilder.struct().name("server1.SALES.Address").optional()
            .field("CITY", Schema.STRING_SCHEMA)
            .field("ZIP", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema C_VSD = SchemaBuilder.struct().name(VariableScaleDecimalType.NAME).version(1).optional()
            .field("scale", Schema.INT32_SCHEMA)
            .field("value", Schema.BYTES_SCHEMA)
            .build();
    private static final Schema C_ROW = SchemaBuilder.struct().name(Events.VALUE_NAME).optional()
            .field("ORDER_ID", Schema.INT64_SCHEMA)
            .field("AMOUNT", Decimal.schema(2))
            .field("DISCOUNT", Decimal.builder(2).optional().build())
            .field("VSD", C_VSD)
            .field("SMALL", Schema.INT16_SCHEMA)
            .field("TINY", Schema.INT8_SCHEMA)
            .field("RATIO", Schema.FLOAT32_SCHEMA)
            .field("FLAG", Schema.BOOLEAN_SCHEMA)
            .field("CREATED", Timestamp.SCHEMA)
            .field("SHIP_DATE", Date.SCHEMA)
            .field("UPDATED_US", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build())
            .field("ORDER_DAY", SchemaBuilder.int32().name("io.debezium.time.Date").version(1).build())
            .field("TSTZ", SchemaBuilder.string().name(ZonedTimestampType.NAME).version(1).optional().build())
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .field("NOTES", Schema.OPTIONAL_STRING_SCHEMA)
            .field("DATA", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("ADDRESS", C_ADDRESS)
            .field("TAGS", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();
    private static final Schema C_SOURCE = SchemaBuilder.struct().name("io.debezium.connector.oracle.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
                    .parameter("allowed", "true,first,last,false,incremental").defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("scn", Schema.OPTIONAL_STRING_SCHEMA)
            .field("commit_scn", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lcr_position", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema C_TX = SchemaBuilder.struct().optional().name("event.block").version(1)
            .field("id", Schema.STRING_SCHEMA)
            .field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA)
            .build();
    private static final Schema C_ENVELOPE = SchemaBuilder.struct().name("server1.SALES.ORDERS.Envelope").version(1)
            .field("before", C_ROW)
            .field("after", C_ROW)
            .field("source", C_SOURCE)
            .field("transaction", C_TX)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    private static Struct connectRow(String amount) {
        BigDecimal pi = new BigDecimal("-3.14159");
        return new Struct(C_ROW)
                .put("ORDER_ID", 1001L)
                .put("AMOUNT", new BigDecimal(amount))
                .put("DISCOUNT", null)
                .put("VSD", new Struct(C_VSD).put("scale", pi.scale()).put("value", pi.unscaledValue().toByteArray()))
                .put("SMALL", Short.MIN_VALUE)
                .put("TINY", (byte) 127)
                .put("RATIO", 0.25f)
                .put("FLAG", false)
                .put("CREATED", java.util.Date.from(Instant.parse("1969-07-20T20:17:40.123Z")))
                .put("SHIP_DATE", java.util.Date.from(Instant.parse("2026-02-28T00:00:00Z")))
                .put("UPDATED_US", 1_767_322_800_123_456L)
                .put("ORDER_DAY", -365)
                .put("TSTZ", "2026-01-02T03:04:05.123456-05:00")
                .put("NAME", "Łódź 😀")
                .put("NOTES", Unavailable.PLACEHOLDER)
                .put("DATA", new byte[] {(byte) 0xCA, (byte) 0xFE})
                .put("ADDRESS", new Struct(C_ADDRESS).put("CITY", "São Paulo").put("ZIP", null))
                .put("TAGS", List.of("vip", "東"));
    }

    private static Struct connectEnvelope(String op, Struct before, Struct after) {
        Struct source = new Struct(C_SOURCE)
                .put("version", "2.7.3.Final").put("connector", "oracle").put("name", "server1")
                .put("ts_ms", 1_767_322_800_000L).put("snapshot", "false").put("db", "ORCLPDB1")
                .put("ts_us", 1_767_322_800_000_000L)
                .put("schema", "SALES").put("table", "ORDERS").put("txId", "0a001b00c3040000")
                .put("scn", "2122185").put("commit_scn", "2122190").put("lcr_position", null);
        return new Struct(C_ENVELOPE)
                .put("before", before).put("after", after).put("source", source)
                .put("transaction", new Struct(C_TX).put("id", "0a001b00c3040000").put("total_order", 3L)
                        .put("data_collection_order", 1L))
                .put("op", op).put("ts_ms", 1_767_322_801_234L);
    }

    private static void assertDecodedRow(Map<String, Object> row, String amount) {
        assertThat(row.get("ORDER_ID")).isEqualTo(1001L);
        assertThat(row.get("AMOUNT")).isEqualTo(new BigDecimal(amount));
        assertThat(row.get("DISCOUNT")).isNull();
        assertThat(row.get("VSD")).isEqualTo(new BigDecimal("-3.14159"));
        assertThat(row.get("SMALL")).isEqualTo(Short.MIN_VALUE);
        assertThat(row.get("TINY")).isEqualTo((byte) 127);
        assertThat(row.get("RATIO")).isEqualTo(0.25f);
        assertThat(row.get("FLAG")).isEqualTo(false);
        assertThat(row.get("CREATED")).isEqualTo(Instant.parse("1969-07-20T20:17:40.123Z"));
        assertThat(row.get("SHIP_DATE")).isEqualTo(LocalDate.parse("2026-02-28"));
        assertThat(row.get("UPDATED_US")).isEqualTo(LocalDateTime.parse("2026-01-02T03:00:00.123456"));
        assertThat(row.get("ORDER_DAY")).isEqualTo(LocalDate.parse("1969-01-01"));
        assertThat(row.get("TSTZ")).isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05.123456-05:00"));
        assertThat(row.get("NAME")).isEqualTo("Łódź 😀");
        assertThat(row.get("NOTES")).isSameAs(Unavailable.VALUE);
        assertThat((byte[]) row.get("DATA")).containsExactly(0xCA, 0xFE);
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("CITY", "São Paulo");
        address.put("ZIP", null);
        assertThat(row.get("ADDRESS")).isEqualTo(address);
        assertThat(row.get("TAGS")).isEqualTo(List.of("vip", "東"));
    }

    @Test
    void weReadWhatJsonConverterWritesForAnUpdate() {
        byte[] body = converter(Map.of()).fromConnectData(TOPIC, C_ENVELOPE,
                connectEnvelope("u", connectRow("49.90"), connectRow("-0.05")));

        ChangeEvent event = codec.decode(body, "{\"ORDER_ID\":1001}");

        assertThat(event.op()).isEqualTo(Operation.UPDATE);
        assertDecodedRow(event.before(), "49.90");
        assertDecodedRow(event.after(), "-0.05");
        assertThat(event.table()).isEqualTo(new TableId("SALES", "ORDERS"));
        assertThat(event.position()).isEqualTo(new Position(2_122_185L, 0));
        assertThat(event.source().snapshot()).isEqualTo("false");
        assertThat(event.source().commitScn()).isEqualTo("2122190");
        assertThat(event.source().txId()).isEqualTo("0a001b00c3040000");
        assertThat(event.transaction()).isEqualTo(new TransactionInfo("0a001b00c3040000", 3, 1));
        assertThat(event.tsMs()).isEqualTo(1_767_322_801_234L);
        assertThat(event.key()).isEqualTo(Map.of("ORDER_ID", 1001L));
    }

    @Test
    void weReadWhatJsonConverterWritesForADelete() {
        byte[] body = converter(Map.of()).fromConnectData(TOPIC, C_ENVELOPE, connectEnvelope("d", connectRow("1.00"), null));

        ChangeEvent event = codec.decode(body, null);

        assertThat(event.op()).isEqualTo(Operation.DELETE);
        assertThat(event.after()).isNull();
        assertDecodedRow(event.before(), "1.00");
    }

    @Test
    void weReadJsonConverterNumericDecimals() {
        // decimal.format=NUMERIC writes decimals as JSON numbers instead of base64 bytes
        byte[] body = converter(Map.of("decimal.format", "NUMERIC")).fromConnectData(TOPIC, C_ENVELOPE,
                connectEnvelope("c", null, connectRow("-12345.60")));

        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"AMOUNT\":-12345.60");
        assertDecodedRow(codec.decode(body, null).after(), "-12345.60");
    }
}
