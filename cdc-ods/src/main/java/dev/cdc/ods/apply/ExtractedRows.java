package dev.cdc.ods.apply;

import dev.cdc.common.xml.FieldType;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlField;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The rows an XML extraction rule yields, in its target table: replaced whole for a parent whose document changed,
 * removed with a deleted parent.
 */
final class ExtractedRows {

    private final XmlExtraction rule;
    private final SqlIdentifier target;
    private final SqlIdentifier parentKey;
    private final OdsColumn parentKeyColumn;

    ExtractedRows(XmlExtraction rule, OdsColumn parentTableKey) {
        this.rule = rule;
        this.target = new SqlIdentifier(rule.target());
        this.parentKey = new SqlIdentifier(rule.parentKey());
        this.parentKeyColumn = new OdsColumn(parentKey, parentTableKey.type(), parentTableKey.sqlType());
    }

    XmlExtraction rule() {
        return rule;
    }

    /** Creates the target table if it does not exist (the SALES targets come with the migrations). */
    void ensureTable(Connection c) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(target.quoted()).append(" (")
                .append(parentKey.quoted()).append(' ').append(parentKeyColumn.sqlType()).append(" NOT NULL, ")
                .append("\"line_no\" integer NOT NULL, ");
        for (XmlField field : rule.fields()) {
            ddl.append(new SqlIdentifier(field.column()).quoted()).append(' ').append(sqlType(field.type())).append(", ");
        }
        ddl.append("\"_source_scn\" bigint NOT NULL, \"_source_seq\" bigint NOT NULL, ")
                .append("\"_processed_at\" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (")
                .append(parentKey.quoted()).append(", \"line_no\"))");
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "cdc_ddl:" + target);
            lock.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute(ddl.toString());
        }
    }

    private static String sqlType(FieldType type) {
        return switch (type) {
            case INTEGER -> "bigint";
            case DECIMAL -> "numeric";
            case BOOLEAN -> "boolean";
            case TEXT -> "text";
        };
    }

    /** Removes the rows of these parents. */
    void delete(Connection c, Collection<String> parentKeys) throws SQLException {
        if (parentKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + target.quoted() + " WHERE " + parentKey.quoted()
                + " = ANY(?::" + parentKeyColumn.sqlType() + "[])")) {
            ps.setArray(1, c.createArrayOf("text", parentKeys.toArray()));
            ps.executeUpdate();
        }
    }

    /** Inserts rows (the parents' old rows already deleted), each with its parent's position. */
    void insert(Connection c, List<PreparedChange> parents) throws SQLException {
        List<String> columns = new ArrayList<>(List.of(parentKey.quoted(), "\"line_no\""));
        List<String> casts = new ArrayList<>(List.of(parentKeyColumn.sqlType(), "integer"));
        for (XmlField field : rule.fields()) {
            columns.add(new SqlIdentifier(field.column()).quoted());
            casts.add(sqlType(field.type()));
        }
        List<List<String>> arrays = new ArrayList<>();
        for (int i = 0; i < columns.size() + 2; i++) {
            arrays.add(new ArrayList<>());
        }
        for (PreparedChange parent : parents) {
            for (Map<String, Object> row : parent.extracted().get(rule.target())) {
                int i = 0;
                arrays.get(i++).add(parent.key().get(0));
                arrays.get(i++).add(SqlText.of(row.get("line_no")));
                for (XmlField field : rule.fields()) {
                    arrays.get(i++).add(SqlText.of(row.get(field.column())));
                }
                arrays.get(i++).add(Long.toString(parent.position().scn()));
                arrays.get(i).add(Long.toString(parent.position().sequence()));
            }
        }
        if (arrays.get(0).isEmpty()) {
            return;
        }
        List<String> select = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            aliases.add("c" + i);
            select.add("u.c" + i + "::" + casts.get(i));
        }
        String sql = "INSERT INTO " + target.quoted() + " (" + String.join(", ", columns)
                + ", \"_source_scn\", \"_source_seq\") SELECT " + String.join(", ", select)
                + ", u.scn::bigint, u.seq::bigint FROM unnest("
                + String.join(", ", Collections.nCopies(arrays.size(), "?::text[]")) + ") AS u("
                + String.join(", ", aliases) + ", scn, seq)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < arrays.size(); i++) {
                ps.setArray(i + 1, c.createArrayOf("text", arrays.get(i).toArray()));
            }
            ps.executeUpdate();
        }
    }
}
