package dev.cdc.common.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.EventId;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.TruthJson;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An alert a rule raised on one change: what the REST target receives and what the truth's {@code alerts.jsonl}
 * predicts. Its JSON form ({@link #toJson}, {@link #toMap}):
 * <pre>{@code
 * {"id":"big-order:SALES.ORDERS:1234:5","rule":"big-order","table":"SALES.ORDERS","key":{"ORDER_ID":1001},
 *  "event_id":"SALES.ORDERS:1234:5","event_time_ms":1700000000000,"column":"TOTAL_AMOUNT","value":6001.5,
 *  "threshold":5000,"message":"TOTAL_AMOUNT 6001.50 above 5000"}
 * }</pre>
 * The id is {@code <rule>:<event id>}: one rule fires at most once per change, so a redelivered change raises an
 * alert with the same id and a receiver can drop it as a duplicate. Values are held in canonical form (numbers as
 * {@code Long} or a {@code BigDecimal} without trailing zeros, date-times as ISO-8601 text), so an alert read back
 * from JSON equals the one that was written.
 *
 * @param id {@code <rule>:<event id>}; null to have it formed
 * @param key the row key (primary key columns), null when the event carried none
 * @param eventTimeMs the source commit time of the change ({@code payload.source.ts_ms})
 * @param value the column's value after the change
 * @param threshold the rule's threshold ({@code above}, {@code below}), its value ({@code equals}), or null
 *                  ({@code changed})
 */
public record Alert(String id, String rule, TableId table, Map<String, Object> key, EventId eventId, long eventTimeMs,
                    String column, Object value, Object threshold, String message) implements Serializable {

    private static final long serialVersionUID = 1L;

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(message, "message");
        if (!eventId.table().equals(table)) {
            throw new IllegalArgumentException("alert " + id + ": event " + eventId + " is not a change of " + table);
        }
        String formed = id(rule, eventId);
        if (id == null) {
            id = formed;
        } else if (!id.equals(formed)) {
            throw new IllegalArgumentException("alert id \"" + id + "\" must be <rule>:<event id>, here " + formed);
        }
        key = key == null ? null : canonicalMap(key);
        value = AlertValues.canonical(value);
        threshold = AlertValues.canonical(threshold);
    }

    /** The alert {@code rule} raises on {@code event}. */
    public static Alert of(String rule, ChangeEvent event, String column, Object value, Object threshold, String message) {
        return new Alert(null, rule, event.table(), event.key(), event.eventId(), event.source().tsMs(), column, value,
                threshold, message);
    }

    /** {@code <rule>:<event id>}. */
    public static String id(String rule, EventId eventId) {
        return rule + ":" + eventId;
    }

    /** The JSON form as a map, fields in their documented order, values JSON-ready. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("rule", rule);
        out.put("table", table.toString());
        out.put("key", key);
        out.put("event_id", eventId.toString());
        out.put("event_time_ms", eventTimeMs);
        out.put("column", column);
        out.put("value", value);
        out.put("threshold", threshold);
        out.put("message", message);
        return out;
    }

    /** Writes the JSON form as one object. */
    public void write(JsonGenerator out) throws IOException {
        TruthJson.write(toMap(), out);
    }

    /** The JSON form, compact, on one line. */
    public String toJson() {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(text)) {
            write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * Reads the JSON form back.
     *
     * @throws IllegalArgumentException naming the missing or wrong field
     */
    public static Alert fromJson(String json) {
        Map<String, Object> map;
        try {
            map = DebeziumJsonCodec.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("not an alert JSON object: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (map == null) {
            throw new IllegalArgumentException("not an alert JSON object: null");
        }
        return fromMap(map);
    }

    /** As {@link #fromJson}, from the parsed object. */
    public static Alert fromMap(Map<String, ?> map) {
        try {
            Object time = required(map, "event_time_ms");
            if (!(time instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("event_time_ms: expected epoch milliseconds, was " + time);
            }
            Object key = map.get("key");
            if (key != null && !(key instanceof Map)) {
                throw new IllegalArgumentException("key: expected an object of key columns, was " + key);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> keyMap = (Map<String, Object>) key;
            return new Alert((String) map.get("id"), text(map, "rule"), TableId.parse(text(map, "table")), keyMap,
                    EventId.parse(text(map, "event_id")), ((Number) time).longValue(), text(map, "column"),
                    map.get("value"), map.get("threshold"), text(map, "message"));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("an alert field has the wrong type: " + e.getMessage(), e);
        }
    }

    private static Object required(Map<String, ?> map, String field) {
        Object value = map.get(field);
        if (value == null) {
            throw new IllegalArgumentException(field + ": required in an alert");
        }
        return value;
    }

    private static String text(Map<String, ?> map, String field) {
        Object value = required(map, field);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + ": expected text, was " + value);
        }
        return s;
    }

    private static Map<String, Object> canonicalMap(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, AlertValues.canonical(v)));
        return Collections.unmodifiableMap(out);
    }
}
