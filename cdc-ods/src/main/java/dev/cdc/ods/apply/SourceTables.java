package dev.cdc.ods.apply;

import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.ods.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code cdc_source_tables} says each ODS state table holds: the one source table that claimed it (a second
 * one is refused, never merged in) and the position of its newest truncate (older changes are stale). Claims made
 * by a batch are written in the batch's transaction; a rollback forgets what this writer believed. Not thread-safe.
 */
final class SourceTables {

    private static final class Entry {
        String source;
        Position truncated;
        boolean unsaved;
    }

    private final Map<SqlIdentifier, Entry> known = new HashMap<>();

    /** Whether this writer holds the table's entry already. */
    boolean knows(SqlIdentifier table) {
        return known.containsKey(table);
    }

    /** Reads a table's entry once (later calls use what this writer knows). */
    void load(Connection c, SqlIdentifier table) throws SQLException {
        if (known.containsKey(table)) {
            return;
        }
        Entry entry = new Entry();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source_table, truncated_scn, truncated_seq FROM cdc_source_tables WHERE table_name = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    entry.source = rs.getString(1);
                    long scn = rs.getLong(2);
                    if (!rs.wasNull()) {
                        entry.truncated = new Position(scn, rs.getLong(3));
                    }
                }
            }
        }
        known.put(table, entry);
    }

    /**
     * Null when {@code source} may write {@code table} (claiming it if nobody has), otherwise why not. The table must
     * have been {@link #load loaded}.
     */
    String conflict(SqlIdentifier table, TableId source) {
        Entry entry = known.get(table);
        if (entry.source == null) {
            entry.source = source.toString();
            entry.unsaved = true;
            return null;
        }
        if (entry.source.equals(source.toString())) {
            return null;
        }
        return source + " maps to ODS table " + table + ", which holds " + entry.source
                + "; one ODS table holds one source table (name it with ods.tables." + source + ".name)";
    }

    /** Loads, checks and saves a claim within the batch's transaction (a truncate's table). */
    String claim(Connection c, SqlIdentifier table, TableId source) throws SQLException {
        load(c, table);
        String conflict = conflict(table, source);
        if (conflict == null) {
            save(c);
        }
        return conflict;
    }

    /** Writes the claims this batch made, in its transaction. */
    void save(Connection c) throws SQLException {
        List<Map.Entry<SqlIdentifier, Entry>> unsaved = new ArrayList<>();
        known.entrySet().stream().filter(e -> e.getValue().unsaved).forEach(unsaved::add);
        if (unsaved.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cdc_source_tables (table_name, source_table) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (Map.Entry<SqlIdentifier, Entry> e : unsaved) {
                ps.setString(1, e.getKey().name());
                ps.setString(2, e.getValue().source);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Moves the table's truncate position forward. */
    void truncated(Connection c, SqlIdentifier table, Position position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE cdc_source_tables SET truncated_scn = ?, truncated_seq = ?
                WHERE table_name = ? AND (truncated_scn IS NULL OR (truncated_scn, truncated_seq) < (?, ?))""")) {
            ps.setLong(1, position.scn());
            ps.setLong(2, position.sequence());
            ps.setString(3, table.name());
            ps.setLong(4, position.scn());
            ps.setLong(5, position.sequence());
            ps.executeUpdate();
        }
        Entry entry = known.get(table);
        if (entry.truncated == null || entry.truncated.compareTo(position) < 0) {
            entry.truncated = position;
        }
    }

    /** Whether a change at {@code position} is older than the table's newest truncate. */
    boolean truncatedAfter(SqlIdentifier table, Position position) {
        Entry entry = known.get(table);
        return entry != null && entry.truncated != null && position.compareTo(entry.truncated) < 0;
    }

    void committed() {
        known.values().forEach(e -> e.unsaved = false);
    }

    /** The transaction's claims and truncates did not happen: read them again. */
    void rolledBack() {
        known.clear();
    }

    void invalidate() {
        known.clear();
    }
}
