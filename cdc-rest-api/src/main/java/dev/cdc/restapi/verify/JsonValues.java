package dev.cdc.restapi.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the check decides a received JSON value holds a truth value: numbers by value ({@code 49.9} is {@code 49.90}),
 * objects field by field with an absent field equal to null (a column added later reads null in older rows), lists
 * element by element. Anything else must be equal as is.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** Jackson's view of a received node, in the truth reader's Java types (Long, BigDecimal, String, Map, List). */
    static Object java(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null
                : DebeziumJsonCodec.mapper().convertValue(node, Object.class);
    }

    /** The first place {@code found} differs from {@code expected}, or null when it holds it. */
    static String difference(String path, Object expected, Object found) {
        if (expected == null || found == null) {
            return expected == found ? null : path + ": expected " + shown(expected) + ", found " + shown(found);
        }
        if (expected instanceof Number e && found instanceof Number f) {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(f.toString())) == 0 ? null
                    : path + ": expected " + e + ", found " + f;
        }
        if (expected instanceof Map<?, ?> e && found instanceof Map<?, ?> f) {
            Set<Object> keys = new HashSet<>(e.keySet());
            keys.addAll(f.keySet());
            for (Object key : keys.stream().map(String::valueOf).sorted().toList()) {
                String d = difference(path + "." + key, e.get(key), f.get(key));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected instanceof List<?> e && found instanceof List<?> f) {
            if (e.size() != f.size()) {
                return path + ": expected " + e.size() + " elements, found " + f.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String d = difference(path + "[" + i + "]", e.get(i), f.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.equals(found) ? null : path + ": expected " + shown(expected) + ", found " + shown(found);
    }

    private static String shown(Object value) {
        String text = value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** A key as the job writes it into a change record ({@code {"ORDER_ID":1001}}), to find a parent's documents. */
    static String keyJson(Map<String, Object> key) {
        return DebeziumJsonCodec.mapper().valueToTree(key).toString();
    }
}
