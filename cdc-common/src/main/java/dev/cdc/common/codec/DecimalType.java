package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Base64;

/**
 * Kafka Connect's {@code Decimal}: the unscaled value as big-endian two's-complement bytes (base64 in JSON), the
 * scale in the {@code scale} parameter. Debezium's {@code decimal.handling.mode=precise}. JsonConverter's
 * {@code decimal.format=NUMERIC} form (a JSON number) is read too.
 */
public final class DecimalType implements LogicalType {

    public static final String NAME = "org.apache.kafka.connect.data.Decimal";
    public static final String SCALE = "scale";
    public static final String PRECISION = "connect.decimal.precision";

    /** A Decimal schema as Debezium writes it for NUMBER(precision, scale). */
    public static ConnectSchema schema(int precision, int scale, boolean optional) {
        return ConnectSchema.builder(SchemaType.BYTES).optional(optional).name(NAME).version(1)
                .parameter(SCALE, Integer.toString(scale))
                .parameter(PRECISION, Integer.toString(precision))
                .build();
    }

    @Override
    public String schemaName() {
        return NAME;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        int scale = scale(schema, path);
        if (json.isNumber()) {
            try {
                return json.decimalValue().setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) { // more digits than the scale is bad data: must be MalformedEventException, not a crash
                throw MalformedEventException.wrongValue(path, "a decimal with scale " + scale, json.decimalValue());
            }
        }
        if (!json.isTextual()) {
            throw MalformedEventException.wrongValue(path, "base64 decimal bytes", json);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(json.textValue());
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.wrongValue(path, "base64 decimal bytes", json.textValue());
        }
        if (bytes.length == 0) {
            throw MalformedEventException.wrongValue(path, "base64 decimal bytes", "empty bytes");
        }
        return new BigDecimal(new BigInteger(bytes), scale);
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        BigDecimal decimal = ValueCodec.toBigDecimal(value, path);
        int scale = scale(schema, path);
        try {
            decimal = decimal.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw MalformedEventException.wrongValue(path, "a decimal with scale " + scale, decimal);
        }
        out.writeBinary(decimal.unscaledValue().toByteArray());
    }

    private static int scale(ConnectSchema schema, String path) {
        String scale = schema.parameter(SCALE);
        if (scale == null) {
            throw MalformedEventException.missing(path + " schema parameter " + SCALE);
        }
        try {
            return Integer.parseInt(scale);
        } catch (NumberFormatException e) {
            throw MalformedEventException.wrongValue(path + " schema parameter " + SCALE, "an integer", scale);
        }
    }
}
