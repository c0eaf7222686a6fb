package dev.cdc.ods.schema;

import dev.cdc.common.schema.ValueType;

/** How the core's value types are held in PostgreSQL, and back from the catalog's type names. */
public final class PostgresTypes {

    private PostgresTypes() {
    }

    public static String sqlType(ValueType type) {
        return switch (type) {
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case DECIMAL -> "numeric";
            case BOOLEAN -> "boolean";
            case TEXT -> "text";
            case BYTES -> "bytea";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case DATE -> "date";
            case JSON -> "jsonb";
        };
    }

    /** The value type of a catalog type ({@code information_schema.columns.data_type}); unknown types take text. */
    public static ValueType valueType(String dataType) {
        return switch (dataType) {
            case "smallint" -> ValueType.SMALLINT;
            case "integer" -> ValueType.INTEGER;
            case "bigint" -> ValueType.BIGINT;
            case "real" -> ValueType.REAL;
            case "double precision" -> ValueType.DOUBLE;
            case "numeric" -> ValueType.DECIMAL;
            case "boolean" -> ValueType.BOOLEAN;
            case "bytea" -> ValueType.BYTES;
            case "timestamp without time zone" -> ValueType.TIMESTAMP;
            case "timestamp with time zone" -> ValueType.TIMESTAMP_TZ;
            case "date" -> ValueType.DATE;
            case "jsonb", "json" -> ValueType.JSON;
            default -> ValueType.TEXT;
        };
    }

    /** The cast for a catalog type: its own name, so text written for it converts on the server. */
    public static String castType(String dataType) {
        return switch (dataType) {
            case "timestamp without time zone" -> "timestamp";
            case "timestamp with time zone" -> "timestamptz";
            case "character varying", "character" -> "text";
            case "USER-DEFINED", "ARRAY" -> "text";
            default -> dataType;
        };
    }
}
