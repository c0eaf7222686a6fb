package dev.cdc.common.schema;

import java.util.Locale;

/** The physical types of a Kafka Connect schema, named as JsonConverter writes them. */
public enum SchemaType {
    INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES, ARRAY, MAP, STRUCT;

    private final String jsonName = name().toLowerCase(Locale.ROOT);

    /** The name in a JsonConverter schema, e.g. {@code "int64"}; {@code float64} is written {@code "double"}. */
    public String jsonName() {
        return switch (this) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            default -> jsonName;
        };
    }

    public static SchemaType fromJsonName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("schema has no \"type\"");
        }
        return switch (name) {
            case "int8" -> INT8;
            case "int16" -> INT16;
            case "int32" -> INT32;
            case "int64" -> INT64;
            case "float", "float32" -> FLOAT32;
            case "double", "float64" -> FLOAT64;
            case "boolean" -> BOOLEAN;
            case "string" -> STRING;
            case "bytes" -> BYTES;
            case "array" -> ARRAY;
            case "map" -> MAP;
            case "struct" -> STRUCT;
            default -> throw new IllegalArgumentException("unknown schema type \"" + name
                    + "\"; expected one of int8, int16, int32, int64, float, double, boolean, string, bytes, array, map, struct");
        };
    }

    public boolean isInteger() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }
}
