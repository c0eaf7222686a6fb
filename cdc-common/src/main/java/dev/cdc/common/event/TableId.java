package dev.cdc.common.event;

import java.util.Objects;
import java.util.regex.Pattern;

/** A source table: Oracle schema and table name, e.g. {@code SALES.ORDERS}. */
public record TableId(String schema, String table) {

    /** Oracle's unquoted identifier characters; anything else is refused before it reaches a topic or SQL. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_$#]{0,127}");

    public TableId {
        requireIdentifier("schema", schema);
        requireIdentifier("table", table);
    }

    public static TableId parse(String qualified) {
        Objects.requireNonNull(qualified, "table");
        int dot = qualified.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("table \"" + qualified + "\" must be SCHEMA.TABLE");
        }
        return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    static void requireIdentifier(String what, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + value
                    + "\": expected a letter then letters, digits, _, $ or # (at most 128)");
        }
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
