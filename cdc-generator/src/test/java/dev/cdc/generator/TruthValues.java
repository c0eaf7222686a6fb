package dev.cdc.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.truth.TruthJson;
import dev.cdc.generator.schema.DecimalMode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test support: decoded values brought to the truth's canonical JSON form (through {@link TruthJson}, read back as
 * the truth reader reads it), and a deep comparison that names every difference by path.
 *
 * <p>Numbers compare by value: exactly in precise mode, within a relative 1e-9 in double mode; in string mode a
 * decimal arrives as text and must be the truth's number written out.
 */
final class TruthValues {

    private TruthValues() {
    }

    /** {@code value} as it would read back from a truth file: Long, BigDecimal, String, Boolean, Map, List or null. */
    static Object canonical(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(text)) {
            TruthJson.write(value, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return DebeziumJsonCodec.mapper().readValue(text.toString(), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects differences between an expected (truth) and an actual (canonical) value; keeps the first 30. */
    static final class Differences {
        private final DecimalMode mode;
        private final List<String> first = new ArrayList<>();
        private long count;
        private long compared;

        Differences(DecimalMode mode) {
            this.mode = mode;
        }

        void add(String difference) {
            count++;
            if (first.size() < 30) {
                first.add(difference);
            }
        }

        List<String> first() {
            return first;
        }

        long count() {
            return count;
        }

        /** How many leaf values were compared: a comparison of nothing proves nothing. */
        long compared() {
            return compared;
        }

        @Override
        public String toString() {
            return count + " differences in " + compared + " values, first: " + String.join("\n  ", first);
        }

        /** Compares two maps; a key one side lacks counts as null there (a column added after the row was written). */
        void compareRows(String path, Map<?, ?> expected, Map<?, ?> actual) {
            Set<Object> keys = new LinkedHashSet<>(expected.keySet());
            keys.addAll(actual.keySet());
            for (Object k : keys) {
                compare(path + "." + k, expected.get(k), actual.get(k));
            }
        }

        void compare(String path, Object expected, Object actual) {
            if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
                if (!e.keySet().equals(a.keySet())) {
                    add(path + ": fields " + e.keySet() + " expected, " + a.keySet() + " found");
                }
                compareRows(path, e, a);
                return;
            }
            if (expected instanceof List<?> e && actual instanceof List<?> a) {
                if (e.size() != a.size()) {
                    add(path + ": " + e.size() + " elements expected, " + a.size() + " found");
                    return;
                }
                for (int i = 0; i < e.size(); i++) {
                    compare(path + "[" + i + "]", e.get(i), a.get(i));
                }
                return;
            }
            compared++;
            if (!sameLeaf(expected, actual)) {
                add(path + ": expected " + describe(expected) + " but found " + describe(actual));
            }
        }

        private boolean sameLeaf(Object expected, Object actual) {
            if (expected == null || actual == null) {
                return expected == actual;
            }
            if (expected instanceof Number e && actual instanceof Number a) {
                BigDecimal x = new BigDecimal(e.toString());
                BigDecimal y = new BigDecimal(a.toString());
                if (mode == DecimalMode.DOUBLE) {
                    return x.subtract(y).abs().doubleValue() <= 1e-9 * Math.max(1.0, x.abs().doubleValue());
                }
                return x.compareTo(y) == 0;
            }
            if (mode == DecimalMode.STRING && expected instanceof BigDecimal e && actual instanceof String a) {
                try {
                    return e.compareTo(new BigDecimal(a)) == 0;
                } catch (NumberFormatException notANumber) {
                    return false;
                }
            }
            return expected.equals(actual);
        }

        private static String describe(Object value) {
            if (value == null) {
                return "null";
            }
            String text = value.toString();
            return (text.length() > 120 ? text.substring(0, 120) + "..." : text) + " (" + value.getClass().getSimpleName() + ")";
        }
    }
}
