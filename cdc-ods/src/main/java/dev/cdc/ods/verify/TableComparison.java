package dev.cdc.ods.verify;

import dev.cdc.ods.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Internal: compares one ODS table with the rows the truth expects in it. The ODS table is read once, in key order,
 * as a stream; each row is looked up in the expected rows (a hash map) and removed, so what is left is missing.
 * Memory is the truth's, which {@link dev.cdc.common.truth.SourceTruth} already holds.
 */
final class TableComparison {

    /** Metadata column of state tables; a truth row that ended deleted expects it true (a tombstone). */
    static final String DELETED = "_deleted";
    private static final String EXTRA = "_extra";
    private static final int FETCH_SIZE = 10_000;

    private final SqlIdentifier table;
    private final String source;
    private final List<String> keyColumns;
    private final Map<List<String>, Map<String, Object>> expected;
    private final int examples;

    private long found;
    private long extra;
    private long different;
    private final List<TableResult.Example> missingExamples = new ArrayList<>();
    private final List<TableResult.Example> extraExamples = new ArrayList<>();
    private final List<TableResult.Example> differentExamples = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param keyColumns the ODS key columns
     * @param expected by key (each part as {@link Values#keyPart}), the ODS columns and values the row must hold, in
     *                 the truth's order; consumed by {@link #run}
     */
    TableComparison(SqlIdentifier table, String source, List<String> keyColumns,
                    LinkedHashMap<List<String>, Map<String, Object>> expected, int examples) {
        this.table = table;
        this.source = source;
        this.keyColumns = List.copyOf(keyColumns);
        this.expected = expected;
        this.examples = examples;
    }

    TableResult run(Connection c) throws SQLException {
        long expectedCount = expected.size();
        Set<String> existing = columns(c);
        if (existing.isEmpty()) {
            notes.add("table " + table + " does not exist: every expected row counts as missing");
        } else if (!existing.containsAll(keyColumns)) {
            notes.add("table " + table + " lacks key column(s) " + absent(keyColumns, existing)
                    + ": no row can be matched, every row counts as missing or extra");
            found = count(c);
            extra = found;
        } else {
            scan(c, existing);
        }
        for (Map.Entry<List<String>, Map<String, Object>> e : expected.entrySet()) {
            if (missingExamples.size() == examples) {
                break;
            }
            missingExamples.add(new TableResult.Example(shownKey(e.getKey()), tombstone(e.getValue()), List.of()));
        }
        return new TableResult(table.name(), source, expectedCount, found, expected.size(), extra, different,
                missingExamples, extraExamples, differentExamples, notes);
    }

    private void scan(Connection c, Set<String> existing) throws SQLException {
        Set<String> compared = new LinkedHashSet<>();
        expected.values().forEach(row -> compared.addAll(row.keySet()));
        List<String> absent = absent(compared, existing);
        boolean useExtra = !absent.isEmpty() && existing.contains(EXTRA);
        if (!absent.isEmpty()) {
            notes.add("column(s) " + String.join(", ", absent) + " not in the table: compared with "
                    + (useExtra ? "the values in " + EXTRA : "NULL"));
        }
        Set<String> select = new LinkedHashSet<>(keyColumns);
        compared.stream().filter(existing::contains).forEach(select::add);
        for (String meta : List.of(DELETED, EXTRA)) {
            if (existing.contains(meta) && (meta.equals(DELETED) || useExtra)) {
                select.add(meta);
            }
        }
        String sql = "SELECT " + String.join(", ", select.stream().map(TableComparison::quote).toList())
                + " FROM " + table.quoted() + " ORDER BY " + String.join(", ", keyColumns.stream().map(TableComparison::quote).toList());
        try (Statement st = c.createStatement()) {
            st.setFetchSize(FETCH_SIZE); // a cursor, not the whole table in memory (needs autocommit off)
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                String[] names = new String[md.getColumnCount() + 1];
                String[] types = new String[names.length];
                for (int i = 1; i < names.length; i++) {
                    names[i] = md.getColumnName(i);
                    types[i] = md.getColumnTypeName(i);
                }
                while (rs.next()) {
                    found++;
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i < names.length; i++) {
                        row.put(names[i], Values.read(rs, i, types[i]));
                    }
                    List<String> key = keyColumns.stream().map(k -> Values.keyPart(row.get(k))).toList();
                    Map<String, Object> want = expected.remove(key);
                    if (want == null) {
                        extra++;
                        if (extraExamples.size() < examples) {
                            extraExamples.add(new TableResult.Example(shownKey(key), tombstone(row), List.of()));
                        }
                        continue;
                    }
                    List<TableResult.Difference> diffs = differences(want, row, existing, useExtra);
                    if (!diffs.isEmpty()) {
                        different++;
                        if (differentExamples.size() < examples) {
                            differentExamples.add(new TableResult.Example(shownKey(key), "", diffs));
                        }
                    }
                }
            }
        }
    }

    private static List<TableResult.Difference> differences(Map<String, Object> want, Map<String, Object> row,
                                                           Set<String> existing, boolean useExtra) {
        // a row live on one side and deleted on the other differs in that, not in every column a tombstone clears
        if (want.containsKey(DELETED) && !Values.same(want.get(DELETED), row.get(DELETED))) {
            return List.of(new TableResult.Difference(DELETED, Values.show(want.get(DELETED)), Values.show(row.get(DELETED))));
        }
        List<TableResult.Difference> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : want.entrySet()) {
            String column = e.getKey();
            Object value = existing.contains(column) ? row.get(column) : useExtra ? fromExtra(row.get(EXTRA), column) : null;
            diff(column, e.getValue(), value, out);
        }
        return out;
    }

    /** Adds the differences under {@code path}; JSON is descended into, so the report names the field that differs. */
    private static void diff(String path, Object want, Object got, List<TableResult.Difference> out) {
        if (Values.same(want, got)) {
            return;
        }
        if (want instanceof Map<?, ?> w && got instanceof Map<?, ?> g) {
            Set<Object> fields = new LinkedHashSet<>(w.keySet());
            fields.addAll(g.keySet());
            fields.forEach(f -> diff(path + "." + f, w.get(f), g.get(f), out));
        } else if (want instanceof List<?> w && got instanceof List<?> g && w.size() == g.size()) {
            for (int i = 0; i < w.size(); i++) {
                diff(path + "[" + i + "]", w.get(i), g.get(i), out);
            }
        } else {
            out.add(new TableResult.Difference(path, Values.show(want), Values.show(got)));
        }
    }

    /** {@code _extra} may name a value by its ODS or its source name. */
    private static Object fromExtra(Object extra, String column) {
        if (!(extra instanceof Map<?, ?> values)) {
            return null;
        }
        Object v = values.get(column);
        return v != null ? v : values.get(column.toUpperCase(Locale.ROOT));
    }

    private Set<String> columns(Connection c) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String shownKey(List<String> key) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            parts.add(keyColumns.get(i) + "=" + key.get(i));
        }
        return String.join(", ", parts);
    }

    private static String tombstone(Map<String, Object> row) {
        return Boolean.TRUE.equals(row.get(DELETED)) ? "tombstone" : "";
    }

    private static List<String> absent(Collection<String> wanted, Set<String> existing) {
        return wanted.stream().filter(n -> !existing.contains(n)).toList();
    }

    /** Column names come from the truth and the catalogue, not from SQL text: quoted, quotes doubled. */
    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
