package dev.cdc.ods.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.truth.TruthJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Internal: how the verifier reads an ODS value and decides it equals a truth value (truth values are JSON forms,
 * see {@code docs/truth-format.md}). Equality is by meaning, not by Java type: numbers compare numerically
 * ({@code 49.9} equals {@code 49.90}), timestamps as date-times, JSON structurally with the same rules.
 */
final class Values {

    private static final int SHOWN_CHARS = 80;

    private Values() {
    }

    /** Column {@code i} as the verifier compares it; {@code type} is PostgreSQL's type name of the column. */
    static Object read(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "json", "jsonb" -> json(rs.getString(i), rs.getMetaData().getColumnName(i));
            default -> rs.getObject(i);
        };
    }

    private static Object json(String text, String column) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            // the codec's mapper reads integers as Long and decimals as BigDecimal, as the truth reader does
            return DebeziumJsonCodec.mapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " holds JSON the verifier cannot read: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the ODS value {@code found} holds the truth value {@code expected}. */
    static boolean same(Object expected, Object found) {
        if (expected == null || found == null) {
            return expected == found;
        }
        if (expected instanceof Number || found instanceof Number) {
            BigDecimal e = decimal(expected);
            BigDecimal f = decimal(found);
            return e != null && f != null ? e.compareTo(f) == 0 : expected.equals(found);
        }
        if (found instanceof Temporal t && expected instanceof String s) {
            return sameTime(s, t);
        }
        if (expected instanceof Map<?, ?> e && found instanceof Map<?, ?> f) {
            // a field absent on one side equals a null one: the ODS stores NULL where the definition leaves a field out
            Set<Object> names = new HashSet<>(e.keySet());
            names.addAll(f.keySet());
            return names.stream().allMatch(name -> same(e.get(name), f.get(name)));
        }
        if (expected instanceof List<?> e && found instanceof List<?> f) {
            if (e.size() != f.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), f.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (found instanceof byte[] bytes && expected instanceof String s) {
            return s.equals(Base64.getEncoder().encodeToString(bytes));
        }
        return expected.equals(found);
    }

    /** A number, or text that is one (a value written as text by a type change); null otherwise. */
    private static BigDecimal decimal(Object v) {
        try {
            if (v instanceof BigDecimal d) {
                return d;
            }
            if (v instanceof BigInteger i) {
                return new BigDecimal(i);
            }
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return BigDecimal.valueOf(((Number) v).longValue());
            }
            if (v instanceof Number || v instanceof String) {
                return new BigDecimal(v.toString().trim());
            }
            return null;
        } catch (NumberFormatException e) {
            return null; // NaN, infinity or text that is no number: compared as they are
        }
    }

    private static boolean sameTime(String text, Temporal found) {
        try {
            if (found instanceof LocalDateTime t) {
                return localDateTime(text).equals(t);
            }
            if (found instanceof LocalDate d) {
                return localDateTime(text).equals(d.atStartOfDay());
            }
            if (found instanceof OffsetDateTime t) {
                // a truth time without offset is UTC, as Debezium's epoch-based timestamps are
                return localDateTime(text).equals(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            }
            return text.equals(found.toString());
        } catch (DateTimeParseException e) {
            return false; // the truth text is no date-time, so the ODS's date-time cannot hold it
        }
    }

    /** ISO date, local date-time, or date-time with offset (then in UTC). */
    private static LocalDateTime localDateTime(String text) {
        int t = text.indexOf('T');
        if (t < 0) {
            return LocalDate.parse(text).atStartOfDay();
        }
        // decided by looking, not by DateTimeFormatter.parseBest, which pays for an exception on every local time
        boolean offset = text.indexOf('Z', t) > 0 || text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0;
        return offset ? OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                : LocalDateTime.parse(text);
    }

    /** The form of a key value that makes truth and ODS keys meet: {@code 1001}, {@code 1001.0} and 1001L alike. */
    static String keyPart(Object v) {
        return v instanceof Temporal t ? TruthJson.text(t) : String.valueOf(dev.cdc.common.event.KeyText.of(v));
    }

    /** A value as a report shows it: text quoted, JSON compact, long values cut. */
    static String show(Object v) {
        String s;
        if (v instanceof BigDecimal d) {
            s = d.toPlainString();
        } else if (v instanceof Temporal t) {
            s = TruthJson.text(t);
        } else if (v instanceof byte[] bytes) {
            s = Base64.getEncoder().encodeToString(bytes);
        } else if (v instanceof String || v instanceof Map || v instanceof List) {
            try {
                s = DebeziumJsonCodec.mapper().writeValueAsString(v);
            } catch (JsonProcessingException e) {
                s = String.valueOf(v); // values read from JSON or JDBC always serialise; the plain form still reads well
            }
        } else {
            s = Objects.toString(v);
        }
        return s.length() <= SHOWN_CHARS ? s : s.substring(0, SHOWN_CHARS - 3) + "...";
    }
}
