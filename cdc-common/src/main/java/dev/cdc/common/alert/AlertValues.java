package dev.cdc.common.alert;

import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.ValueType;
import dev.cdc.common.truth.TruthJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: how alert rules read column values. A value is first taken as its column's schema says it travels
 * ({@link ValueType#coerce}), so a producer's in-memory event and the same event decoded from its message (a
 * decimal held as {@code BigDecimal} but sent as a double or as text) are judged alike; then it is put in one
 * canonical form, which is also its form in an alert: numbers as {@code Long} when integral, else a
 * {@code BigDecimal} without trailing zeros (so {@code 49.90}, {@code 49.9d} and {@code "49.90"} are one value),
 * date-times as ISO-8601 text, bytes as base64, structs and lists element by element.
 */
final class AlertValues {

    private AlertValues() {
    }

    /** Debezium's placeholder for an unread LOB, decoded or still as its text: never a value to judge. */
    static boolean unavailable(Object value) {
        return value == Unavailable.VALUE || Unavailable.PLACEHOLDER.equals(value);
    }

    /** The value as its column's schema holds it; a value the schema can't hold stays as it came. */
    static Object observed(Object value, ConnectSchema columnSchema) {
        if (value == null) {
            return null;
        }
        try {
            return ValueType.of(columnSchema).coerce(value);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return value;
        }
    }

    /**
     * The value as a number, or null when it is null or does not stand for a number. A number of more than
     * {@value #MAX_DIGITS} digits either side of the point ({@code 1e999999999}) is not judged: written out it would
     * exhaust the heap.
     */
    static BigDecimal number(Object value) {
        BigDecimal d = anyNumber(value);
        return d == null || Math.abs((long) d.scale()) > MAX_DIGITS || d.precision() - (long) d.scale() > MAX_DIGITS ? null : d;
    }

    private static final int MAX_DIGITS = 1_000;

    private static BigDecimal anyNumber(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null; // shortest text: 49.9, not 49.899999...
        }
        if (value instanceof String s) {
            return parseNumber(s);
        }
        return null;
    }

    /** A decimal number in text, or null (no exception: most texts compared this way are not numbers). */
    static BigDecimal parseNumber(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 100) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null;
            }
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The canonical form (see the class comment); idempotent. */
    static Object canonical(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            BigDecimal d = number(n);
            return d == null ? n.toString() : canonicalNumber(d);
        }
        if (value instanceof Temporal t) {
            return TruthJson.text(t);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(canonical(v)));
            return Collections.unmodifiableList(out);
        }
        return value.toString();
    }

    /** {@code Long} when integral and in range, else the decimal without trailing zeros. */
    static Object canonicalNumber(BigDecimal d) {
        BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() < 19) {
            return stripped.longValueExact();
        }
        return stripped;
    }

    /** The text an {@code equals} rule compares: strings as they are, other scalars in canonical text, else null. */
    static String text(Object canonical) {
        if (canonical instanceof String s) {
            return s;
        }
        if (canonical instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (canonical instanceof Long || canonical instanceof Boolean) {
            return canonical.toString();
        }
        return null;
    }

    /** A value in an alert message: amounts with at least two decimals ({@code 6001.50}), integers as they are. */
    static String amount(Object canonicalNumber) {
        if (canonicalNumber instanceof BigDecimal d && d.scale() > 0) {
            return d.setScale(Math.max(2, d.scale())).toPlainString();
        }
        return plain(canonicalNumber);
    }

    /** Any canonical value in a message: numbers in plain notation, null as {@code null}. */
    static String plain(Object canonical) {
        return canonical instanceof BigDecimal d ? d.toPlainString() : String.valueOf(canonical);
    }
}
