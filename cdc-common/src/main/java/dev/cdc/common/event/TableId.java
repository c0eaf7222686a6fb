package dev.cdc.common.event;

import java.io.Serializable;
import java.util.Objects;

/**
 * A source table: Oracle schema and table name, e.g. {@code SALES.ORDERS}. Serializable, so rules that name tables can
 * be shipped to an engine's tasks; deserialization goes through the constructor's checks.
 */
public record TableId(String schema, String table) implements Serializable {

    private static final int MAX_LENGTH = 128;

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

    /** Oracle's unquoted identifier characters; anything else is refused before it reaches a topic or SQL. */
    static void requireIdentifier(String what, String value) {
        if (!isIdentifier(value)) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + value
                    + "\": expected a letter then letters, digits, _, $ or # (at most 128)");
        }
    }

    /** A letter, then letters, digits, _, $ or #; checked by hand because it runs for every event. */
    private static boolean isIdentifier(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !isAsciiLetter(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '$' && c != '#') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
