package dev.cdc.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every column type and mode survives encode then decode with its exact value and Java type. Each test puts the
 * value in column V of a one-row create event and reads it back from the decoded {@code after} image.
 */
class ValueCodecRoundTripTest {

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();

    private Object roundTrip(ConnectSchema column, Object value) {
        return codec.decode(codec.encode(Events.insertValue(column, value)), null).after().get("V");
    }

    /** The JSON form column V is written in. */
    private JsonNode encodedV(ConnectSchema column, Object value) {
        return Events.tree(codec.encode(Events.insertValue(column, value))).get("payload").get("after").get("V");
    }

    // ---------------------------------------------------------------- Decimal (decimal.handling.mode=precise)

    @ParameterizedTest
    @ValueSource(strings = {"0.00", "-0.01", "-1.50", "12345678.90", "-99999999.99", "0.10"})
    void decimalRoundTripsExactlyWithTheSchemaScale(String text) {
        BigDecimal value = new BigDecimal(text);
        // equals, not compareTo: the scale must be the schema's, too
        assertThat(roundTrip(DecimalType.schema(10, 2, false), value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "42", "-2147483649"})
    void decimalWithScaleZeroRoundTrips(String text) {
        BigDecimal value = new BigDecimal(text);
        assertThat(roundTrip(DecimalType.schema(12, 0, false), value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "99999999999999999999999999999999999999",
            "-99999999999999999999999999999999999999",
            "9999999999999999999999999999.9999999999"})
    void decimalOfPrecision38RoundTrips(String text) {
        BigDecimal value = new BigDecimal(text);
        int scale = value.scale();
        assertThat(roundTrip(DecimalType.schema(38, scale, false), value)).isEqualTo(value);
    }

    /** Two's complement needs an extra byte when the top bit of the magnitude is set; a wrong sign byte flips the sign. */
    @ParameterizedTest
    @MethodSource
    void decimalNeedingASignByteRoundTrips(long unscaled, String base64) {
        BigDecimal value = BigDecimal.valueOf(unscaled);
        ConnectSchema schema = DecimalType.schema(10, 0, false);
        assertThat(encodedV(schema, value).textValue()).isEqualTo(base64);
        assertThat(roundTrip(schema, value)).isEqualTo(value);
    }

    static Stream<Arguments> decimalNeedingASignByteRoundTrips() {
        return Stream.of(
                Arguments.of(127, "fw=="),     // 0x7F
                Arguments.of(128, "AIA="),     // 0x00 0x80
                Arguments.of(255, "AP8="),     // 0x00 0xFF
                Arguments.of(-128, "gA=="),    // 0x80
                Arguments.of(-129, "/38="),    // 0xFF 0x7F
                Arguments.of(32768, "AIAA"));  // 0x00 0x80 0x00
    }

    @Test
    void decimalWithFewerDigitsIsPaddedToTheSchemaScale() {
        assertThat(roundTrip(DecimalType.schema(10, 2, false), new BigDecimal("1.5"))).isEqualTo(new BigDecimal("1.50"));
    }

    @Test
    void decimalWithMoreDigitsThanTheScaleIsRefusedNotRounded() {
        assertThatThrownBy(() -> codec.encode(Events.insertValue(DecimalType.schema(10, 2, false), new BigDecimal("1.005"))))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("scale 2");
    }

    /** decimal.handling.mode=double: a plain float64 column; the BigDecimal is written as a double. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "1234.5678", "-0.25", "-98765.4321"})
    void decimalInDoubleModeDecodesAsDouble(String text) {
        Object decoded = roundTrip(ConnectSchema.of(SchemaType.FLOAT64, false), new BigDecimal(text));
        assertThat(decoded).isInstanceOf(Double.class).isEqualTo(Double.parseDouble(text));
    }

    /** decimal.handling.mode=string: the plain text, never scientific notation. */
    @Test
    void decimalInStringModeDecodesAsPlainText() {
        ConnectSchema string = ConnectSchema.of(SchemaType.STRING, false);
        assertThat(roundTrip(string, new BigDecimal("-1234.50"))).isEqualTo("-1234.50");
        assertThat(roundTrip(string, new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(roundTrip(string, new BigDecimal("-1E-7"))).isEqualTo("-0.0000001");
    }

    // ---------------------------------------------------------------- VariableScaleDecimal (NUMBER without p,s)

    @ParameterizedTest
    @ValueSource(strings = {"0", "-123.456", "3.14159265358979323846", "1E+5", "128", "-129",
            "-99999999999999999999999999999999999999"})
    void variableScaleDecimalKeepsValueAndScale(String text) {
        BigDecimal value = new BigDecimal(text);
        assertThat(roundTrip(VariableScaleDecimalType.schema(false), value)).isEqualTo(value);
    }

    @Test
    void variableScaleDecimalIsWrittenAsScaleAndUnscaledBytes() {
        JsonNode v = encodedV(VariableScaleDecimalType.schema(false), new BigDecimal("-1.29"));
        assertThat(v.get("scale").intValue()).isEqualTo(2);
        assertThat(Base64.getDecoder().decode(v.get("value").textValue())).containsExactly(0xFF, 0x7F);
    }

    // ---------------------------------------------------------------- integers

    @ParameterizedTest
    @MethodSource
    void integerLimitsRoundTripWithTheirJavaType(SchemaType type, Object value) {
        assertThat(roundTrip(ConnectSchema.of(type, false), value)).isInstanceOf(value.getClass()).isEqualTo(value);
    }

    static Stream<Arguments> integerLimitsRoundTripWithTheirJavaType() {
        return Stream.of(
                Arguments.of(SchemaType.INT8, Byte.MIN_VALUE), Arguments.of(SchemaType.INT8, Byte.MAX_VALUE),
                Arguments.of(SchemaType.INT16, Short.MIN_VALUE), Arguments.of(SchemaType.INT16, Short.MAX_VALUE),
                Arguments.of(SchemaType.INT32, Integer.MIN_VALUE), Arguments.of(SchemaType.INT32, Integer.MAX_VALUE),
                Arguments.of(SchemaType.INT64, Long.MIN_VALUE), Arguments.of(SchemaType.INT64, Long.MAX_VALUE),
                Arguments.of(SchemaType.INT64, 0L));
    }

    @Test
    void floatingPointValuesRoundTrip() {
        assertThat(roundTrip(ConnectSchema.of(SchemaType.FLOAT32, false), 0.1f)).isEqualTo(0.1f);
        assertThat(roundTrip(ConnectSchema.of(SchemaType.FLOAT32, false), -Float.MAX_VALUE)).isEqualTo(-Float.MAX_VALUE);
        assertThat(roundTrip(ConnectSchema.of(SchemaType.FLOAT64, false), Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        assertThat(roundTrip(ConnectSchema.of(SchemaType.FLOAT64, false), -1.0e300)).isEqualTo(-1.0e300);
    }

    @Test
    void booleansRoundTrip() {
        assertThat(roundTrip(ConnectSchema.of(SchemaType.BOOLEAN, false), true)).isEqualTo(true);
        assertThat(roundTrip(ConnectSchema.of(SchemaType.BOOLEAN, false), false)).isEqualTo(false);
    }

    // ---------------------------------------------------------------- timestamps and dates

    @ParameterizedTest
    @MethodSource
    void epochTimestampRoundTrips(EpochTimestampType type, LocalDateTime value, long expectedCount) {
        assertThat(encodedV(type.schema(false), value).longValue()).isEqualTo(expectedCount);
        assertThat(roundTrip(type.schema(false), value)).isEqualTo(value);
    }

    static Stream<Arguments> epochTimestampRoundTrips() {
        LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
        return Stream.of(
                Arguments.of(EpochTimestampType.MILLIS, epoch, 0L),
                Arguments.of(EpochTimestampType.MICROS, epoch, 0L),
                Arguments.of(EpochTimestampType.NANOS, epoch, 0L),
                // just before the epoch: negative counts, the fraction still counted forwards
                Arguments.of(EpochTimestampType.MILLIS, LocalDateTime.parse("1969-12-31T23:59:59.999"), -1L),
                Arguments.of(EpochTimestampType.MICROS, LocalDateTime.parse("1969-12-31T23:59:59.999999"), -1L),
                Arguments.of(EpochTimestampType.NANOS, LocalDateTime.parse("1969-12-31T23:59:59.999999999"), -1L),
                Arguments.of(EpochTimestampType.MICROS, LocalDateTime.parse("1900-01-01T12:30:00.000001"), -2_208_943_799_999_999L),
                // Oracle's last day; nanoseconds end in 2262 (int64)
                Arguments.of(EpochTimestampType.MILLIS, LocalDateTime.parse("9999-12-31T23:59:59.999"), 253_402_300_799_999L),
                Arguments.of(EpochTimestampType.MICROS, LocalDateTime.parse("9999-12-31T23:59:59.999999"), 253_402_300_799_999_999L),
                Arguments.of(EpochTimestampType.NANOS, LocalDateTime.parse("2262-04-11T23:47:16.854775807"), Long.MAX_VALUE));
    }

    @Test
    void timestampDigitsBelowTheUnitAreDropped() {
        LocalDateTime value = LocalDateTime.parse("2026-01-02T03:04:05.123456789");
        assertThat(roundTrip(EpochTimestampType.MILLIS.schema(false), value)).isEqualTo(LocalDateTime.parse("2026-01-02T03:04:05.123"));
        assertThat(roundTrip(EpochTimestampType.MICROS.schema(false), value)).isEqualTo(LocalDateTime.parse("2026-01-02T03:04:05.123456"));
    }

    @Test
    void nanoTimestampAfter2262CannotBeEncoded() {
        // int64 nanoseconds overflow; it must fail, never wrap to a wrong instant
        assertThatRuntimeException().isThrownBy(() -> codec.encode(
                Events.insertValue(EpochTimestampType.NANOS.schema(false), LocalDateTime.parse("9999-12-31T23:59:59.999"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-29T01:30:00.123456+02:00", "2026-01-02T03:04:05Z", "1965-07-01T00:00:00-05:00",
            "9999-12-31T23:59:59.999999999+14:00"})
    void zonedTimestampKeepsInstantAndOffset(String text) {
        OffsetDateTime value = OffsetDateTime.parse(text);
        assertThat(roundTrip(ZonedTimestampType.schema(false), value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01", "1969-12-31", "0001-01-01", "2024-02-29", "9999-12-31"})
    void datesRoundTripInBothDateTypes(String text) {
        LocalDate value = LocalDate.parse(text);
        ConnectSchema debezium = ConnectSchema.builder(SchemaType.INT32).name("io.debezium.time.Date").version(1).build();
        ConnectSchema connect = ConnectSchema.builder(SchemaType.INT32).name("org.apache.kafka.connect.data.Date").version(1).build();
        assertThat(encodedV(debezium, value).longValue()).isEqualTo(value.toEpochDay());
        assertThat(roundTrip(debezium, value)).isEqualTo(value);
        assertThat(roundTrip(connect, value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2026-01-02T03:04:05.678Z"})
    void connectTimestampRoundTripsAsInstant(String text) {
        Instant value = Instant.parse(text);
        ConnectSchema schema = ConnectSchema.builder(SchemaType.INT64).name(ConnectTimestampType.NAME).version(1).build();
        assertThat(roundTrip(schema, value)).isEqualTo(value);
    }

    // ---------------------------------------------------------------- strings and bytes

    @ParameterizedTest
    @ValueSource(strings = {"", "Crème brûlée à São Paulo", "東京都千代田区", "😀👍🏽 emoji", "quote \" backslash \\ / slash",
            "line\nbreak\ttab\u0000nul", "Ωmega Ελληνικά"})
    void stringsRoundTripIncludingNonAscii(String value) {
        assertThat(roundTrip(ConnectSchema.of(SchemaType.STRING, false), value)).isEqualTo(value);
    }

    @Test
    void bytesRoundTrip() {
        byte[] value = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF, 0};
        assertThat((byte[]) roundTrip(ConnectSchema.of(SchemaType.BYTES, false), value)).containsExactly(value);
        assertThat((byte[]) roundTrip(ConnectSchema.of(SchemaType.BYTES, false), new byte[0])).isEmpty();
    }

    // ---------------------------------------------------------------- nulls

    @ParameterizedTest
    @MethodSource("optionalSchemas")
    void optionalNullDecodesAsNull(ConnectSchema schema) {
        assertThat(encodedV(schema, null).isNull()).isTrue();
        assertThat(roundTrip(schema, null)).isNull();
    }

    static Stream<ConnectSchema> optionalSchemas() {
        return Stream.of(
                DecimalType.schema(10, 2, true), VariableScaleDecimalType.schema(true),
                ConnectSchema.of(SchemaType.INT8, true), ConnectSchema.of(SchemaType.INT64, true),
                ConnectSchema.of(SchemaType.FLOAT64, true), ConnectSchema.of(SchemaType.BOOLEAN, true),
                ConnectSchema.of(SchemaType.STRING, true), ConnectSchema.of(SchemaType.BYTES, true),
                EpochTimestampType.MILLIS.schema(true), EpochTimestampType.MICROS.schema(true),
                EpochTimestampType.NANOS.schema(true), ZonedTimestampType.schema(true),
                ConnectSchema.builder(SchemaType.INT32).optional().name("io.debezium.time.Date").build(),
                ConnectSchema.builder(SchemaType.STRUCT).optional().name("server1.SALES.Address")
                        .field("CITY", ConnectSchema.of(SchemaType.STRING, false)).build(),
                ConnectSchema.builder(SchemaType.ARRAY).optional().valueSchema(ConnectSchema.of(SchemaType.STRING, false)).build());
    }

    @Test
    void requiredNullIsRefusedWhenEncoding() {
        assertThatThrownBy(() -> codec.encode(Events.insertValue(ConnectSchema.of(SchemaType.INT64, false), null)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("V")
                .hasMessageContaining("required int64");
    }

    @Test
    void requiredNullIsRefusedWhenDecoding() {
        byte[] body = codec.encode(Events.insertValue(ConnectSchema.of(SchemaType.STRING, false), "x"));
        byte[] broken = Events.editPayload(body, p -> p.withObjectProperty("after").putNull("V"));
        assertThatThrownBy(() -> codec.decode(broken, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.V")
                .hasMessageContaining("required string");
    }

    @Test
    void requiredFieldAbsentFromTheJsonIsRefused() {
        byte[] body = codec.encode(Events.insertValue(ConnectSchema.of(SchemaType.STRING, false), "x"));
        byte[] broken = Events.editPayload(body, p -> p.withObjectProperty("after").remove("V"));
        assertThatThrownBy(() -> codec.decode(broken, null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("payload.after.V");
    }

    // ---------------------------------------------------------------- struct, array, map

    @Test
    void nestedStructDecodesToAMapInSchemaOrder() {
        ConnectSchema geo = ConnectSchema.builder(SchemaType.STRUCT).optional().name("server1.SALES.Geo")
                .field("LAT", DecimalType.schema(9, 6, false))
                .field("LON", DecimalType.schema(9, 6, false))
                .build();
        ConnectSchema address = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.Address")
                .field("STREET", ConnectSchema.of(SchemaType.STRING, false))
                .field("ZIP", ConnectSchema.of(SchemaType.STRING, true))
                .field("GEO", geo)
                .build();
        Map<String, Object> geoValue = new LinkedHashMap<>();
        geoValue.put("LAT", new BigDecimal("48.856613"));
        geoValue.put("LON", new BigDecimal("-2.352222"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("STREET", "1 rue de Rivoli");
        value.put("ZIP", null);
        value.put("GEO", geoValue);

        Object decoded = roundTrip(address, value);

        assertThat(decoded).isInstanceOf(Map.class).isEqualTo(value);
        assertThat(List.copyOf(((Map<?, ?>) decoded).keySet())).isEqualTo(List.of("STREET", "ZIP", "GEO"));
    }

    @Test
    void arraysDecodeToListsOfTheElementType() {
        ConnectSchema strings = ConnectSchema.builder(SchemaType.ARRAY)
                .valueSchema(ConnectSchema.of(SchemaType.STRING, true)).build();
        List<Object> withNull = new ArrayList<>(Arrays.asList("a", null, "東"));
        assertThat(roundTrip(strings, withNull)).isEqualTo(withNull);
        assertThat(roundTrip(strings, List.of())).isEqualTo(List.of());

        ConnectSchema decimals = ConnectSchema.builder(SchemaType.ARRAY).valueSchema(DecimalType.schema(5, 2, false)).build();
        List<BigDecimal> amounts = List.of(new BigDecimal("-1.28"), new BigDecimal("1.28"));
        assertThat(roundTrip(decimals, amounts)).isEqualTo(amounts);
    }

    @Test
    void mapsDecodeWithTheirValueType() {
        ConnectSchema schema = ConnectSchema.builder(SchemaType.MAP).valueSchema(ConnectSchema.of(SchemaType.INT64, false)).build();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", 2L);
        value.put("a", Long.MIN_VALUE);
        assertThat(roundTrip(schema, value)).isEqualTo(value);
    }

    // ---------------------------------------------------------------- unavailable LOBs and unknown names

    @Test
    void unavailablePlaceholderInAStringColumnIsNeverAString() {
        ConnectSchema clob = ConnectSchema.of(SchemaType.STRING, true);
        assertThat(encodedV(clob, Unavailable.VALUE).textValue()).isEqualTo("__debezium_unavailable_value");
        assertThat(roundTrip(clob, Unavailable.VALUE)).isSameAs(Unavailable.VALUE);
        // the same text written by Debezium, not by us
        assertThat(roundTrip(clob, "__debezium_unavailable_value")).isSameAs(Unavailable.VALUE);
    }

    @Test
    void unavailablePlaceholderInABytesColumnIsNeverBytes() {
        ConnectSchema blob = ConnectSchema.of(SchemaType.BYTES, true);
        String expectedBase64 = Base64.getEncoder().encodeToString("__debezium_unavailable_value".getBytes(StandardCharsets.US_ASCII));
        assertThat(encodedV(blob, Unavailable.VALUE).textValue()).isEqualTo(expectedBase64);
        assertThat(roundTrip(blob, Unavailable.VALUE)).isSameAs(Unavailable.VALUE);
    }

    @Test
    void unknownLogicalNamesDecodeAsTheirPhysicalType() {
        ConnectSchema xml = ConnectSchema.builder(SchemaType.STRING).optional().name("io.debezium.data.Xml").version(1).build();
        assertThat(roundTrip(xml, "<order id=\"1\"/>")).isEqualTo("<order id=\"1\"/>");

        ConnectSchema foo = ConnectSchema.builder(SchemaType.INT64).name("com.example.Foo").parameter("unit", "parsec").build();
        assertThat(roundTrip(foo, 42L)).isInstanceOf(Long.class).isEqualTo(42L);

        ConnectSchema point = ConnectSchema.builder(SchemaType.STRUCT).name("com.example.Point")
                .field("X", ConnectSchema.of(SchemaType.FLOAT64, false)).build();
        assertThat(roundTrip(point, Map.of("X", 1.5))).isEqualTo(Map.of("X", 1.5));
    }

    @Test
    void schemaTheDecoderSawIsTheOneWritten() {
        // the decoded value schema is the envelope's optional image of the row schema
        ConnectSchema column = DecimalType.schema(10, 2, true);
        ChangeEvent decoded = codec.decode(codec.encode(Events.insertValue(column, BigDecimal.ONE)), null);
        assertThat(decoded.valueSchema().name()).isEqualTo(Events.VALUE_NAME);
        assertThat(decoded.valueSchema().optional()).isTrue();
        assertThat(decoded.valueSchema().fields()).isEqualTo(Events.row(column).fields());
    }
}
