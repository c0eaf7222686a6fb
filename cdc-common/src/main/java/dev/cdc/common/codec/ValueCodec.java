package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts one value between its JsonConverter form and its Java form, driven by the schema alone: the schema's
 * logical name first, its physical type otherwise. Never guesses a type from the JSON.
 */
public final class ValueCodec {

    private static final byte[] UNAVAILABLE_BYTES = Unavailable.PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);

    private ValueCodec() {
    }

    /** Decodes {@code json} (which may be null or missing) as a value of {@code schema}. */
    public static Object decode(JsonNode json, ConnectSchema schema, String path) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            if (!schema.optional()) {
                throw MalformedEventException.missing(path + " (required " + schema.type().jsonName() + ")");
            }
            return null;
        }
        if (json.isTextual() && Unavailable.PLACEHOLDER.equals(json.textValue())) {
            return Unavailable.VALUE;
        }
        LogicalType logical = LogicalTypes.find(schema.name());
        if (logical != null) {
            return logical.decode(json, schema, path);
        }
        return switch (schema.type()) {
            case INT8 -> (byte) integer(json, path, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> (short) integer(json, path, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> (int) integer(json, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> integer(json, path, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT32 -> (float) number(json, path);
            case FLOAT64 -> number(json, path);
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw MalformedEventException.wrongValue(path, "a boolean", json);
                }
                yield json.booleanValue();
            }
            case STRING -> {
                if (!json.isTextual()) {
                    throw MalformedEventException.wrongValue(path, "a string", json);
                }
                yield json.textValue();
            }
            case BYTES -> bytes(json, path);
            case STRUCT -> struct(json, schema, path);
            case ARRAY -> {
                if (!json.isArray()) {
                    throw MalformedEventException.wrongValue(path, "an array", json);
                }
                List<Object> list = new ArrayList<>(json.size());
                for (int i = 0; i < json.size(); i++) {
                    list.add(decode(json.get(i), schema.valueSchema(), path + "[" + i + "]"));
                }
                yield list;
            }
            case MAP -> {
                if (!json.isObject()) {
                    throw MalformedEventException.wrongValue(path, "an object (map with string keys)", json);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : json.properties()) {
                    map.put(e.getKey(), decode(e.getValue(), schema.valueSchema(), path + "." + e.getKey()));
                }
                yield map;
            }
        };
    }

    /** Decodes a struct into a map holding every field of the schema, in schema order. Unknown JSON fields are ignored, as JsonConverter does. */
    public static Map<String, Object> struct(JsonNode json, ConnectSchema schema, String path) {
        if (!json.isObject()) {
            throw MalformedEventException.wrongValue(path, "an object", json);
        }
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, schema.fields().size() * 2));
        for (ConnectSchema.Field field : schema.fields()) {
            map.put(field.name(), decode(json.get(field.name()), field.schema(), path + "." + field.name()));
        }
        return map;
    }

    /** Writes {@code value} (which may be null) as the JsonConverter form of {@code schema}. */
    public static void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        if (value == null) {
            if (!schema.optional()) {
                throw MalformedEventException.missing(path + " (required " + schema.type().jsonName() + ")");
            }
            out.writeNull();
            return;
        }
        if (value == Unavailable.VALUE) {
            if (schema.type() == SchemaType.BYTES) {
                out.writeBinary(UNAVAILABLE_BYTES);
            } else {
                out.writeString(Unavailable.PLACEHOLDER);
            }
            return;
        }
        LogicalType logical = LogicalTypes.find(schema.name());
        if (logical != null) {
            logical.encode(value, schema, out, path);
            return;
        }
        switch (schema.type()) {
            case INT8, INT16, INT32, INT64 -> out.writeNumber(toLong(value, path));
            case FLOAT32, FLOAT64 -> out.writeNumber(toNumber(value, path).doubleValue());
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw MalformedEventException.wrongValue(path, "a Boolean", value.getClass().getSimpleName());
                }
                out.writeBoolean(b);
            }
            // decimal.handling.mode=string writes the plain decimal text
            case STRING -> out.writeString(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            case BYTES -> {
                if (!(value instanceof byte[] b)) {
                    throw MalformedEventException.wrongValue(path, "byte[]", value.getClass().getSimpleName());
                }
                out.writeBinary(b);
            }
            case STRUCT -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw MalformedEventException.wrongValue(path, "a Map for a struct", value.getClass().getSimpleName());
                }
                writeStruct(map, schema, out, path);
            }
            case ARRAY -> {
                if (!(value instanceof List<?> list)) {
                    throw MalformedEventException.wrongValue(path, "a List", value.getClass().getSimpleName());
                }
                out.writeStartArray();
                for (Object element : list) {
                    encode(element, schema.valueSchema(), out, path);
                }
                out.writeEndArray();
            }
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw MalformedEventException.wrongValue(path, "a Map", value.getClass().getSimpleName());
                }
                out.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.writeFieldName(String.valueOf(e.getKey()));
                    encode(e.getValue(), schema.valueSchema(), out, path);
                }
                out.writeEndObject();
            }
        }
    }

    /** Writes a struct: every field of the schema, in order; a field the map lacks is written null. */
    public static void writeStruct(Map<?, ?> map, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        out.writeStartObject();
        for (ConnectSchema.Field field : schema.fields()) {
            out.writeFieldName(field.name());
            encode(map.get(field.name()), field.schema(), out, field.name());
        }
        out.writeEndObject();
    }

    static BigDecimal toBigDecimal(Object value, String path) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        throw MalformedEventException.wrongValue(path, "a decimal", value.getClass().getSimpleName());
    }

    private static long toLong(Object value, String path) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw MalformedEventException.wrongValue(path, "an integer", d);
            }
        }
        throw MalformedEventException.wrongValue(path, "an integer", value.getClass().getSimpleName());
    }

    private static Number toNumber(Object value, String path) {
        if (value instanceof Number n) {
            return n;
        }
        throw MalformedEventException.wrongValue(path, "a number", value.getClass().getSimpleName());
    }

    private static long integer(JsonNode json, String path, long min, long max) {
        if (!json.isIntegralNumber() || !json.canConvertToLong() || json.longValue() < min || json.longValue() > max) {
            throw MalformedEventException.wrongValue(path, "an integer in [" + min + ", " + max + "]", json);
        }
        return json.longValue();
    }

    private static double number(JsonNode json, String path) {
        if (!json.isNumber()) {
            throw MalformedEventException.wrongValue(path, "a number", json);
        }
        return json.doubleValue();
    }

    private static Object bytes(JsonNode json, String path) {
        if (!json.isTextual()) {
            throw MalformedEventException.wrongValue(path, "base64 bytes", json);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(json.textValue());
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.wrongValue(path, "base64 bytes", json.textValue());
        }
        return Arrays.equals(bytes, UNAVAILABLE_BYTES) ? Unavailable.VALUE : bytes;
    }
}
