package dev.cdc.ods.schema;

import dev.cdc.common.schema.ValueType;

/**
 * A column of an ODS table: its name, the value type the writer coerces to, and the SQL type values are cast to
 * (the column's own type, so a table a user altered by hand still takes values).
 */
public record OdsColumn(SqlIdentifier name, ValueType type, String sqlType) {

    public static OdsColumn of(SqlIdentifier name, ValueType type) {
        return new OdsColumn(name, type, PostgresTypes.sqlType(type));
    }
}
