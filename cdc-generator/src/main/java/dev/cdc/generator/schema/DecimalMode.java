package dev.cdc.generator.schema;

import java.util.Locale;

/** Debezium's {@code decimal.handling.mode}: how NUMBER(p, s>0) columns are written. */
public enum DecimalMode {
    /** Kafka Connect Decimal: exact, base64 unscaled bytes. Debezium's default. */
    PRECISE,
    /** A JSON double: compact, may lose digits. */
    DOUBLE,
    /** The plain decimal text. */
    STRING;

    public static DecimalMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid decimal mode \"" + value + "\"; expected precise, double or string");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
