package dev.cdc.ods.apply;

import dev.cdc.common.event.Unavailable;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes changes of one table in one statement: every column as a text array, unnested and cast on the server,
 * {@code ON CONFLICT} on the key, guarded by the position so an older change never overwrites a newer one and a
 * delete's tombstone stays. {@code RETURNING} names the rows that were written, so extraction and the join follow
 * exactly what changed. The caller gives at most one change per key.
 */
final class StateUpsert {

    private StateUpsert() {
    }

    /**
     * Returns the keys written (the changes the guard let through), as the server writes them as text: the same as
     * the caller's text for integer and text keys, the kinds the join and the extraction follow.
     */
    static Set<List<String>> apply(Connection c, OdsTable table, List<PreparedChange> changes) throws SQLException {
        // Changes that must keep a column's value (an unchanged LOB) can't share the statement of those that set it.
        Map<Set<SqlIdentifier>, List<PreparedChange>> byKept = new LinkedHashMap<>();
        for (PreparedChange change : changes) {
            Set<SqlIdentifier> kept = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
            change.values().forEach((column, value) -> {
                if (value == Unavailable.VALUE) {
                    kept.add(column);
                }
            });
            byKept.computeIfAbsent(kept, k -> new ArrayList<>()).add(change);
        }
        Set<List<String>> written = new HashSet<>();
        for (Map.Entry<Set<SqlIdentifier>, List<PreparedChange>> group : byKept.entrySet()) {
            written.addAll(write(c, table, group.getKey(), group.getValue()));
        }
        return written;
    }

    private static Set<List<String>> write(Connection c, OdsTable table, Set<SqlIdentifier> kept,
                                           List<PreparedChange> changes) throws SQLException {
        List<OdsColumn> columns = new ArrayList<>();
        for (OdsColumn column : table.columns().values()) {
            if (!kept.contains(column.name())) {
                columns.add(column);
            }
        }
        String t = table.name().quoted();
        List<String> names = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (OdsColumn column : columns) {
            names.add(column.name().quoted());
            casts.add("u." + column.name().quoted() + "::" + column.sqlType());
            if (!table.key().contains(column.name())) {
                sets.add(column.name().quoted() + " = EXCLUDED." + column.name().quoted());
            }
        }
        for (String meta : List.of("_source_scn", "_source_seq", "_source_ts", "_op", "_deleted", "_extra")) {
            sets.add("\"" + meta + "\" = EXCLUDED.\"" + meta + "\"");
        }
        sets.add("\"_processed_at\" = now()");
        List<String> key = table.key().stream().map(SqlIdentifier::quoted).toList();
        String sql = "INSERT INTO " + t + " (" + String.join(", ", names)
                + ", \"_source_scn\", \"_source_seq\", \"_source_ts\", \"_op\", \"_deleted\", \"_extra\")"
                + " SELECT " + String.join(", ", casts) + ", u._scn::bigint, u._seq::bigint, u._ts::timestamptz,"
                + " u._op::char(1), u._del::boolean, u._extra::jsonb"
                + " FROM unnest(" + String.join(", ", java.util.Collections.nCopies(columns.size() + 6, "?::text[]"))
                + ") AS u(" + String.join(", ", names) + ", _scn, _seq, _ts, _op, _del, _extra)"
                // older than the table's newest truncate: that row is gone (a truncate in another writer included)
                + " WHERE NOT EXISTS (SELECT 1 FROM cdc_source_tables s WHERE s.table_name = ?"
                + " AND (s.truncated_scn, s.truncated_seq) >= (u._scn::bigint, u._seq::bigint))"
                + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + String.join(", ", sets)
                + " WHERE (" + t + ".\"_source_scn\", " + t + ".\"_source_seq\") < (EXCLUDED.\"_source_scn\", EXCLUDED.\"_source_seq\")"
                + " RETURNING " + String.join(", ", key.stream().map(k -> k + "::text").toList());
        int n = changes.size();
        List<String[]> arrays = new ArrayList<>();
        for (OdsColumn column : columns) {
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = SqlText.of(changes.get(i).values().get(column.name()));
            }
            arrays.add(values);
        }
        String[] scn = new String[n];
        String[] seq = new String[n];
        String[] ts = new String[n];
        String[] op = new String[n];
        String[] deleted = new String[n];
        String[] extra = new String[n];
        for (int i = 0; i < n; i++) {
            PreparedChange change = changes.get(i);
            scn[i] = Long.toString(change.position().scn());
            seq[i] = Long.toString(change.position().sequence());
            ts[i] = java.time.Instant.ofEpochMilli(change.event().source().tsMs()).toString();
            op[i] = change.event().op().code();
            deleted[i] = Boolean.toString(change.deleted());
            extra[i] = change.extra() == null || change.extra().isEmpty() ? null : SqlText.json(change.extra());
        }
        arrays.addAll(List.of(scn, seq, ts, op, deleted, extra));
        Set<List<String>> written = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            List<Array> open = new ArrayList<>();
            for (int i = 0; i < arrays.size(); i++) {
                Array array = c.createArrayOf("text", arrays.get(i));
                open.add(array);
                ps.setArray(i + 1, array);
            }
            ps.setString(arrays.size() + 1, table.name().name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> k = new ArrayList<>(key.size());
                    for (int i = 1; i <= key.size(); i++) {
                        k.add(rs.getString(i));
                    }
                    written.add(k);
                }
            }
            for (Array array : open) {
                array.free();
            }
        }
        return written;
    }

    /**
     * A truncate of the source table: every live row written before {@code position} becomes a tombstone at it.
     * Returns the keys it touched.
     */
    static Set<List<String>> truncate(Connection c, OdsTable table, dev.cdc.common.event.Position position, long tsMs)
            throws SQLException {
        String t = table.name().quoted();
        List<String> key = table.key().stream().map(SqlIdentifier::quoted).toList();
        String sql = "UPDATE " + t + " SET \"_deleted\" = true, \"_op\" = 't', \"_source_scn\" = ?, \"_source_seq\" = ?,"
                + " \"_source_ts\" = ?, \"_processed_at\" = now()"
                + " WHERE NOT \"_deleted\" AND (\"_source_scn\", \"_source_seq\") < (?, ?)"
                + " RETURNING " + String.join(", ", key.stream().map(k -> k + "::text").toList());
        Set<List<String>> touched = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, position.scn());
            ps.setLong(2, position.sequence());
            ps.setObject(3, java.time.OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(tsMs), java.time.ZoneOffset.UTC));
            ps.setLong(4, position.scn());
            ps.setLong(5, position.sequence());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> k = new ArrayList<>(key.size());
                    for (int i = 1; i <= key.size(); i++) {
                        k.add(rs.getString(i));
                    }
                    touched.add(k);
                }
            }
        }
        return touched;
    }
}
