package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Debezium's {@code VariableScaleDecimal}: a struct of {@code scale} (int32) and {@code value} (unscaled bytes), used
 * for Oracle NUMBER without a declared precision and scale.
 */
public final class VariableScaleDecimalType implements LogicalType {

    public static final String NAME = "io.debezium.data.VariableScaleDecimal";

    public static ConnectSchema schema(boolean optional) {
        return ConnectSchema.builder(SchemaType.STRUCT).optional(optional).name(NAME).version(1)
                .field("scale", ConnectSchema.of(SchemaType.INT32, false))
                .field("value", ConnectSchema.of(SchemaType.BYTES, false))
                .build();
    }

    @Override
    public String schemaName() {
        return NAME;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        JsonNode scale = json.get("scale");
        JsonNode value = json.get("value");
        if (scale == null || !scale.isIntegralNumber()) {
            throw MalformedEventException.wrongValue(path + ".scale", "an int32", scale);
        }
        if (value == null || !value.isTextual()) {
            throw MalformedEventException.wrongValue(path + ".value", "base64 bytes", value);
        }
        try {
            return new BigDecimal(new BigInteger(Base64.getDecoder().decode(value.textValue())), scale.intValue());
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.wrongValue(path + ".value", "base64 bytes", value.textValue());
        }
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        BigDecimal decimal = ValueCodec.toBigDecimal(value, path);
        out.writeStartObject();
        out.writeNumberField("scale", decimal.scale());
        out.writeFieldName("value");
        out.writeBinary(decimal.unscaledValue().toByteArray());
        out.writeEndObject();
    }
}
