package dev.cdc.common.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The type a sink keeps a column in, derived from the Debezium schema of its values, and the rule for turning a
 * decoded value into it. A value of another type is coerced when no information is lost ({@code "100"} into a
 * bigint column, 49.9 into a decimal one); otherwise {@link UnsafeCoercionException}, which makes the change a dead
 * letter instead of a wrong value.
 */
public enum ValueType {
    SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL, BOOLEAN, TEXT, BYTES, TIMESTAMP, TIMESTAMP_TZ, DATE, JSON;

    /** The type of a column whose values carry {@code schema}, by its semantic name first, then its physical type. */
    public static ValueType of(ConnectSchema schema) {
        String name = schema.name() == null ? "" : schema.name();
        switch (name) {
            case "org.apache.kafka.connect.data.Decimal", "io.debezium.data.VariableScaleDecimal" -> {
                return DECIMAL;
            }
            case "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
                 "org.apache.kafka.connect.data.Timestamp" -> {
                return TIMESTAMP;
            }
            case "io.debezium.time.ZonedTimestamp" -> {
                return TIMESTAMP_TZ;
            }
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
                return DATE;
            }
            default -> {
                // an unknown semantic type is stored as its physical type, as the decoder reads it
            }
        }
        return switch (schema.type()) {
            case INT8, INT16 -> SMALLINT;
            case INT32 -> INTEGER;
            case INT64 -> BIGINT;
            case FLOAT32 -> REAL;
            case FLOAT64 -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
            case STRING -> TEXT;
            case BYTES -> BYTES;
            case STRUCT, MAP, ARRAY -> JSON;
        };
    }

    /**
     * The value as this type holds it: {@code Long} for the integer types, {@code Double}, {@code BigDecimal},
     * {@code Boolean}, {@code String}, {@code byte[]}, {@code LocalDateTime}, {@code OffsetDateTime},
     * {@code LocalDate}, or a {@code Map}/{@code List}/scalar for JSON. Null stays null.
     *
     * @throws UnsafeCoercionException when the value can't be held without losing information
     */
    public Object coerce(Object value) {
        if (value == null) {
            return null;
        }
        try {
            Object result = switch (this) {
                case SMALLINT -> integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
                case REAL, DOUBLE -> floating(value);
                case DECIMAL -> decimal(value);
                case BOOLEAN -> bool(value);
                case TEXT -> text(value);
                case BYTES -> value instanceof byte[] ? value : null;
                case TIMESTAMP -> timestamp(value);
                case TIMESTAMP_TZ -> zoned(value);
                case DATE -> value instanceof LocalDate ? value : value instanceof String s ? LocalDate.parse(s.trim()) : null;
                case JSON -> value instanceof byte[] ? null : value;
            };
            if (result != null) {
                return result;
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            // falls through: the value does not stand for one of this type
        }
        throw new UnsafeCoercionException(value, this);
    }

    private static Long integral(Object value, long min, long max) {
        BigDecimal d = value instanceof String s ? new BigDecimal(s.trim()) : value instanceof Number n ? decimal(n) : null;
        if (d == null) {
            return null;
        }
        long v = d.longValueExact(); // throws on a fraction or overflow
        return v < min || v > max ? null : v;
    }

    private static Double floating(Object value) {
        if (value instanceof Number n && !(value instanceof BigDecimal) && !(value instanceof BigInteger)) {
            return n.doubleValue();
        }
        if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof String) {
            BigDecimal d = value instanceof String s ? new BigDecimal(s.trim()) : decimal((Number) value);
            double v = d.doubleValue();
            return new BigDecimal(v).compareTo(d) == 0 || BigDecimal.valueOf(v).compareTo(d) == 0 ? v : null;
        }
        return null;
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double v = ((Number) value).doubleValue();
            return Double.isFinite(v) ? BigDecimal.valueOf(v) : null; // shortest text: 49.9, not 49.89999...
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return value instanceof String s ? new BigDecimal(s.trim()) : null;
    }

    private static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Temporal) {
            return value.toString();
        }
        return null; // structs and bytes in a text column would need a format nobody asked for
    }

    private static LocalDateTime timestamp(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (value instanceof java.time.Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC); // Kafka Connect's Timestamp (time.precision.mode=connect)
        }
        return value instanceof String s ? LocalDateTime.parse(s.trim()) : null;
    }

    private static OffsetDateTime zoned(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t;
        }
        if (value instanceof LocalDateTime t) {
            return t.atOffset(ZoneOffset.UTC); // Debezium's plain timestamps are UTC
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return value instanceof String s ? OffsetDateTime.parse(s.trim()) : null;
    }

    /** Whether every value of {@code from} fits this type as is (a column can take such values without a check). */
    public boolean holds(ValueType from) {
        if (from == this) {
            return true;
        }
        return switch (this) {
            case INTEGER -> from == SMALLINT;
            case BIGINT -> from == SMALLINT || from == INTEGER;
            case DOUBLE -> from == REAL;
            case DECIMAL -> List.of(SMALLINT, INTEGER, BIGINT).contains(from);
            case TIMESTAMP_TZ -> from == TIMESTAMP;
            default -> false;
        };
    }

    /** A value that can't be held by a column's type without losing information. */
    public static final class UnsafeCoercionException extends IllegalArgumentException {
        public UnsafeCoercionException(Object value, ValueType type) {
            super(describe(value) + " can't be held as " + type);
        }

        /** The same, naming where the value was going (e.g. the column). */
        public UnsafeCoercionException(Object value, ValueType type, String where) {
            super(where + ": " + describe(value) + " can't be held as " + type);
        }

        private static String describe(Object value) {
            String text = value instanceof byte[] b ? b.length + " bytes" : value instanceof Map<?, ?> ? "a struct"
                    : "\"" + String.valueOf(value) + "\"";
            if (text.length() > 80) {
                text = text.substring(0, 77) + "...\"";
            }
            return value.getClass().getSimpleName() + " " + text;
        }
    }
}
