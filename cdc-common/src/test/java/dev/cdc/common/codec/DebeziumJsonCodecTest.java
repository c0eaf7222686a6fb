package dev.cdc.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The envelope around the row values: op, images, source, transaction, the key property, and every way a body can be bad. */
class DebeziumJsonCodecTest {

    private static final ConnectSchema ORDERS = ConnectSchema.builder(SchemaType.STRUCT).name(Events.VALUE_NAME)
            .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false))
            .field("STATUS", ConnectSchema.of(SchemaType.STRING, true))
            .field("AMOUNT", DecimalType.schema(10, 2, true))
            .field("PHOTO", ConnectSchema.of(SchemaType.BYTES, true))
            .field("SHIP_DATE", ConnectSchema.builder(SchemaType.INT32).optional().name("io.debezium.time.Date").version(1).build())
            .build();

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();

    private static Map<String, Object> order(long id, String status, String amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ORDER_ID", id);
        row.put("STATUS", status);
        row.put("AMOUNT", amount == null ? null : new BigDecimal(amount));
        row.put("PHOTO", null);
        row.put("SHIP_DATE", null);
        return row;
    }

    private byte[] validInsert() {
        return codec.encode(Events.insert(ORDERS, order(1001, "NEW", "49.90")));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- envelope round trips

    @ParameterizedTest
    @EnumSource(Operation.class)
    void everyOperationRoundTripsWithItsImages(Operation op) {
        Map<String, Object> before = op == Operation.CREATE || op == Operation.READ ? null : order(7, "NEW", "1.00");
        Map<String, Object> after = op == Operation.DELETE ? null : order(7, "PAID", "-1.00");
        ChangeEvent event = new ChangeEvent(ORDERS, op, before, after, Events.source(), 1_767_322_801_234L, null, null);

        ChangeEvent decoded = codec.decode(codec.encode(event), null);

        assertThat(decoded.op()).isEqualTo(op);
        assertThat(decoded.before()).isEqualTo(before);
        assertThat(decoded.after()).isEqualTo(after);
        assertThat(decoded.row()).isEqualTo(op == Operation.DELETE ? before : after);
        assertThat(decoded.topic().toString()).isEqualTo("cdc/oracle/SALES/ORDERS/" + op.topicLevel());
    }

    @Test
    void envelopeFieldsRoundTrip() {
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", 1_767_322_800_000L, "last", "ORCLPDB1",
                "3", "SALES", "ORDERS", "0a001b00c3040000", "18446744073709", "18446744073710");
        ChangeEvent event = new ChangeEvent(ORDERS, Operation.READ, null, order(1, "NEW", "0.00"), source, 42L,
                new TransactionInfo("0a001b00c3040000", 12, 5), null);

        ChangeEvent decoded = codec.decode(codec.encode(event), null);

        assertThat(decoded.source()).isEqualTo(source);
        assertThat(decoded.transaction()).isEqualTo(new TransactionInfo("0a001b00c3040000", 12, 5));
        assertThat(decoded.tsMs()).isEqualTo(42L);
        assertThat(decoded.table()).isEqualTo(new TableId("SALES", "ORDERS"));
        assertThat(decoded.position()).isEqualTo(new Position(18_446_744_073_709L, 3));
        assertThat(decoded.key()).isNull();
    }

    @Test
    void nullTransactionAndNullTimestampStayNull() {
        ChangeEvent event = new ChangeEvent(ORDERS, Operation.CREATE, null, order(1, null, null), Events.source(), null, null, null);
        ChangeEvent decoded = codec.decode(codec.encode(event), null);
        assertThat(decoded.transaction()).isNull();
        assertThat(decoded.tsMs()).isNull();
        assertThat(decoded.after()).isEqualTo(order(1, null, null));
    }

    @Test
    void bodyIsOneSchemaAndPayloadObject() {
        ObjectNode root = (ObjectNode) Events.tree(validInsert());
        // JsonConverter with schemas.enable refuses any other top-level field
        assertThat(root.properties()).extracting(Map.Entry::getKey).containsExactly("schema", "payload");
        assertThat(root.get("schema").get("name").textValue()).isEqualTo("server1.SALES.ORDERS.Envelope");
        assertThat(root.get("payload").get("op").textValue()).isEqualTo("c");
    }

    @Test
    void positionUsesSequenceWhenPresent() {
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", 1L, null, "ORCLPDB1", "17",
                "SALES", "ORDERS", null, "2122185", null);
        ChangeEvent decoded = codec.decode(codec.encode(
                new ChangeEvent(ORDERS, Operation.CREATE, null, order(1, null, null), source, null, null, null)), null);
        assertThat(decoded.position()).isEqualTo(new Position(2_122_185L, 17L));
    }

    // ---------------------------------------------------------------- the key property

    @Test
    void keyPropertyRoundTripsWithIntegersAsLong() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("ORDER_ID", 1001);
        key.put("LINE_NO", (short) 2);
        String json = DebeziumJsonCodec.keyJson(key);

        assertThat(json).isEqualTo("{\"ORDER_ID\":1001,\"LINE_NO\":2}");
        Map<String, Object> parsed = DebeziumJsonCodec.parseKey(json);
        assertThat(parsed).containsExactly(Map.entry("ORDER_ID", 1001L), Map.entry("LINE_NO", 2L));
        assertThat(parsed.get("ORDER_ID")).isInstanceOf(Long.class);
    }

    @Test
    void keyPropertyKeepsDecimalsAndStrings() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("CODE", "A-1");
        key.put("RATE", new BigDecimal("1E+2"));
        String json = DebeziumJsonCodec.keyJson(key);

        assertThat(json).isEqualTo("{\"CODE\":\"A-1\",\"RATE\":100}");
        assertThat(DebeziumJsonCodec.parseKey("{\"RATE\":12.50}").get("RATE")).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void keyPropertyEscapesQuotesAndBackslashes() {
        Map<String, Object> key = Map.of("CODE", "say \"hi\" \\ ok");
        String json = DebeziumJsonCodec.keyJson(key);

        assertThat(json).isEqualTo("{\"CODE\":\"say \\\"hi\\\" \\\\ ok\"}");
        assertThat(DebeziumJsonCodec.parseKey(json)).isEqualTo(key);
    }

    @Test
    void decodeAttachesTheParsedKey() {
        ChangeEvent decoded = codec.decode(validInsert(), "{\"ORDER_ID\":1001}");
        assertThat(decoded.key()).isEqualTo(Map.of("ORDER_ID", 1001L));
    }

    @Test
    void badKeyPropertyIsMalformed() {
        assertThatThrownBy(() -> codec.decode(validInsert(), "ORDER_ID=1001"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("key property");
        assertThatThrownBy(() -> DebeziumJsonCodec.parseKey("{}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("primary-key columns");
        assertThatThrownBy(() -> DebeziumJsonCodec.parseKey("[1001]"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("key property");
    }

    // ---------------------------------------------------------------- malformed bodies

    @Test
    void notJsonIsMalformed() {
        assertThatThrownBy(() -> codec.decode("{\"schema\": nope".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("body is not valid JSON");
    }

    @Test
    void emptyBodyIsMalformed() {
        assertThatThrownBy(() -> codec.decode(new byte[0], null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("a JSON object (a Debezium envelope)");
    }

    @Test
    void jsonArrayIsMalformed() {
        assertThatThrownBy(() -> codec.decode("[{\"schema\":{},\"payload\":{}}]".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("expected a JSON object (a Debezium envelope)");
    }

    @Test
    void missingSchemaSaysSchemasMustBeEnabled() {
        // what JsonConverter writes with schemas.enable=false: the payload alone
        ObjectNode root = (ObjectNode) Events.tree(validInsert());
        root.remove("schema");
        assertThatThrownBy(() -> codec.decode(root.toString().getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("missing required field schema")
                .hasMessageContaining("schemas.enable=true");
    }

    @Test
    void missingPayloadIsMalformed() {
        ObjectNode root = (ObjectNode) Events.tree(validInsert());
        root.remove("payload");
        assertThatThrownBy(() -> codec.decode(root.toString().getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field payload");
    }

    @Test
    void unknownOpIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.put("op", "x"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.op")
                .hasMessageContaining("unknown op \"x\"")
                .hasMessageContaining("c, u, d, r");
    }

    @Test
    void missingOpIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.remove("op"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("payload.op");
    }

    @Test
    void integerWrittenAsTextIsNotGuessed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("ORDER_ID", "100"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.ORDER_ID")
                .hasMessageContaining("expected an integer")
                .hasMessageContaining("\"100\"");
    }

    @Test
    void fractionalNumberInAnIntegerColumnIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("ORDER_ID", new BigDecimal("1.5")));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("payload.after.ORDER_ID");
    }

    @Test
    void badBase64IsMalformed() {
        byte[] photo = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("PHOTO", "not*base64!"));
        assertThatThrownBy(() -> codec.decode(photo, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.PHOTO")
                .hasMessageContaining("base64");

        byte[] amount = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("AMOUNT", "%%%"));
        assertThatThrownBy(() -> codec.decode(amount, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.AMOUNT")
                .hasMessageContaining("base64");
    }

    @Test
    void numericDecimalWithTooManyDigitsForTheScaleIsMalformed() {
        // JsonConverter's decimal.format=NUMERIC form; a scale mismatch is bad data, not a crash
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("AMOUNT", new BigDecimal("49.901")));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.AMOUNT");
    }

    @Test
    void dateBeyondInt32IsMalformed() {
        // io.debezium.time.Date is an int32 day count; a larger number is bad data, not a crash
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("SHIP_DATE", 100_000_000_000_000L));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.SHIP_DATE")
                .hasMessageContaining("100000000000000");
    }

    @Test
    void numericDecimalIsAccepted() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("after").put("AMOUNT", new BigDecimal("49.9")));
        assertThat(codec.decode(body, null).after().get("AMOUNT")).isEqualTo(new BigDecimal("49.90"));
    }

    @Test
    void deleteWithoutBeforeIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.put("op", "d"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field payload.before");
    }

    @Test
    void insertWithoutAfterIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.putNull("after"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field payload.after");
    }

    @Test
    void missingSourceIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.remove("source"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field payload.source");
    }

    @Test
    void missingSourceTableIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("source").remove("table"));
        assertThatThrownBy(() -> codec.decode(body, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field payload.source.table");
    }

    @Test
    void missingScnFailsOnlyWhenThePositionIsAskedFor() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("source").remove("scn"));
        ChangeEvent decoded = codec.decode(body, null);
        assertThat(decoded.after().get("ORDER_ID")).isEqualTo(1001L);
        assertThatThrownBy(decoded::position)
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("missing required field source.scn");
    }

    @Test
    void nonNumericScnIsMalformed() {
        byte[] body = Events.editPayload(validInsert(), p -> p.withObjectProperty("source").put("scn", "12ab"));
        ChangeEvent decoded = codec.decode(body, null);
        assertThatThrownBy(decoded::position)
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("source.scn")
                .hasMessageContaining("12ab");
    }

    @Test
    void unknownSchemaTypeIsMalformed() {
        String body = text(validInsert()).replace("\"type\":\"int64\",\"optional\":false,\"field\":\"ORDER_ID\"",
                "\"type\":\"int128\",\"optional\":false,\"field\":\"ORDER_ID\"");
        assertThat(body).contains("int128");
        assertThatThrownBy(() -> codec.decode(body.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("unknown schema type \"int128\"");
    }
}
