package dev.cdc.generator;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.generator.schema.SalesSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test support: what a correct consumer ends with after reading a run's messages in order, written independently of
 * the simulator. A change applies only if its position (scn, sequence) is after the row's; a delete leaves a
 * tombstone; {@code __debezium_unavailable_value} keeps what the row holds; a column absent from an event's schema
 * is null; a column first seen as an integer and later written as text (the safe type change S4) is parsed back.
 * Bodies that do not decode are dead letters.
 */
final class Replay {

    /** One row's state: null values for a tombstone. */
    static final class Row {
        Map<String, Object> values;
        Position position;
        /** The topic of the message that brought each XML column's current value (for the XML dead letter). */
        final Map<String, String> xmlTopic = new HashMap<>();

        boolean deleted() {
            return values == null;
        }
    }

    private final boolean guarded;
    private final Map<TableId, Map<Long, Row>> rows = new LinkedHashMap<>();
    /** Every column each table's events carried, in the order first seen, with the schema first seen. */
    private final Map<TableId, Map<String, ConnectSchema>> columns = new LinkedHashMap<>();
    private final List<ExpectedDeadLetter> malformedBodies = new ArrayList<>();
    private long applied;
    private long ignoredAsNotNewer;
    private long unavailableKept;
    private long coercedToNumber;

    private Replay(boolean guarded) {
        this.guarded = guarded;
    }

    /** Replays every message of {@code run}, position-guarded. */
    static Replay of(GeneratedRun run) {
        return of(run, true);
    }

    /** As {@link #of(GeneratedRun)}; unguarded, the last message of a row wins (what a naive consumer does). */
    static Replay of(GeneratedRun run, boolean guarded) {
        Replay replay = new Replay(guarded);
        for (GeneratedRun.Delivered d : run.delivered()) {
            if (d.event() == null) {
                replay.malformedBodies.add(new ExpectedDeadLetter(d.message().topic(), DebeziumJsonCodec.parseKey(d.key()),
                        ExpectedDeadLetter.Reason.MALFORMED_JSON));
            } else {
                replay.apply(d.event(), d.message().topic());
            }
        }
        return replay;
    }

    private void apply(ChangeEvent e, String topic) {
        TableId table = e.table();
        Map<String, ConnectSchema> known = columns.computeIfAbsent(table, t -> new LinkedHashMap<>());
        for (ConnectSchema.Field f : e.valueSchema().fields()) {
            known.putIfAbsent(f.name(), f.schema());
        }
        String keyColumn = SalesSchema.table(table.table()).keyColumn();
        long key = ((Number) e.row().get(keyColumn)).longValue();
        Row row = rows.computeIfAbsent(table, t -> new TreeMap<>()).get(key);
        if (row != null && guarded && !e.position().isAfter(row.position)) {
            ignoredAsNotNewer++;
            return;
        }
        if (row == null) {
            row = new Row();
            rows.get(table).put(key, row);
        }
        applied++;
        row.position = e.position();
        if (e.op() == Operation.DELETE) {
            row.values = null;
            row.xmlTopic.clear();
            return;
        }
        Map<String, Object> next = new LinkedHashMap<>();
        for (ConnectSchema.Field f : e.valueSchema().fields()) {
            String column = f.name();
            Object value = e.after().get(column);
            if (value == Unavailable.VALUE) {
                if (guarded && (row.values == null || !row.values.containsKey(column))) {
                    throw new AssertionError(table + " " + key + " at " + e.position() + ": " + column
                            + " is unavailable but the row holds no value to keep");
                }
                value = row.values == null ? null : row.values.get(column);
                unavailableKept++;
            } else {
                if (isXml(table, column)) {
                    row.xmlTopic.put(column, topic);
                }
                value = coerce(known.get(column), f.schema(), value);
            }
            next.put(column, value);
        }
        row.values = next;
    }

    private Object coerce(ConnectSchema first, ConnectSchema now, Object value) {
        if (value instanceof String text && first.type().isInteger() && first.name() == null && now.type() == SchemaType.STRING) {
            coercedToNumber++;
            return Long.parseLong(text.trim());
        }
        return value;
    }

    static boolean isXml(TableId table, String column) {
        return SalesSchema.table(table.table()).columns().stream().anyMatch(c -> c.xml() && c.name().equals(column));
    }

    /** Every row that had an event, by key, tombstones included. */
    Map<Long, Row> rows(TableId table) {
        return Collections.unmodifiableMap(rows.getOrDefault(table, Map.of()));
    }

    /** Every column the table's events carried, in the order first seen. */
    List<String> columns(TableId table) {
        return List.copyOf(columns.getOrDefault(table, Map.of()).keySet());
    }

    /** The live rows, each with every column the table has had (null where its last event did not carry one). */
    Map<Long, Map<String, Object>> liveRows(TableId table) {
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        for (Map.Entry<Long, Row> r : rows(table).entrySet()) {
            if (!r.getValue().deleted()) {
                Map<String, Object> full = new LinkedHashMap<>();
                for (String column : columns(table)) {
                    full.put(column, r.getValue().values.get(column));
                }
                out.put(r.getKey(), full);
            }
        }
        return out;
    }

    List<ExpectedDeadLetter> malformedBodies() {
        return Collections.unmodifiableList(malformedBodies);
    }

    long applied() {
        return applied;
    }

    long ignoredAsNotNewer() {
        return ignoredAsNotNewer;
    }

    long unavailableKept() {
        return unavailableKept;
    }

    long coercedToNumber() {
        return coercedToNumber;
    }
}
