package dev.cdc.common.event;

import java.math.BigDecimal;

/**
 * The text of a row-key value that makes keys meet whatever form they travelled in: {@code 1001}, {@code 1001L},
 * {@code 1001.0} and {@code "1001"} are one key. Every place that keys rows by value (the Flink join, the truth
 * checks, the API's enriched orders) uses this, so they agree.
 */
public final class KeyText {

    private KeyText() {
    }

    /** Null for null; integers in plain form; other numbers without trailing zeros; anything else as its text. */
    public static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value.toString(); // the common key, without a BigDecimal per row
        }
        if (value instanceof Number n) {
            BigDecimal d = (n instanceof BigDecimal b ? b : new BigDecimal(n.toString())).stripTrailingZeros();
            return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
        }
        return value.toString();
    }
}
