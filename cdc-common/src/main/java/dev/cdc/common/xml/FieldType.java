package dev.cdc.common.xml;

import java.math.BigDecimal;
import java.util.Locale;

/** The type of an extracted field, and how the XML text becomes its value. */
public enum FieldType {
    /** A {@link Long}. */
    INTEGER,
    /** A {@link BigDecimal}, exact and with the scale written ({@code 49.90} stays {@code 49.90}). */
    DECIMAL,
    /** A {@link String}, exactly as written (entities and CDATA resolved, nothing trimmed). */
    TEXT,
    /** A {@link Boolean}: {@code true}, {@code false}, {@code 1} or {@code 0}, in any case. */
    BOOLEAN;

    /**
     * The value of {@code text}. For every type but TEXT, surrounding whitespace is ignored (as XML Schema does for
     * numbers and booleans) and an empty text is null: {@code <quantity/>} or {@code quantity=""} says "no value".
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public Object convert(String text) {
        if (this == TEXT) {
            return text;
        }
        String value = text.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (this == BOOLEAN) {
            return bool(value);
        }
        try {
            if (this == INTEGER) {
                return Long.valueOf(value);
            }
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(this == INTEGER ? "expected an integer (64-bit)" : "expected a decimal number", e);
        }
    }

    private static Boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true, false, 1 or 0");
        };
    }
}
