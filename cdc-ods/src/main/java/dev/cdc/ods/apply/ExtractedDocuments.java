package dev.cdc.ods.apply;

import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.ods.schema.OdsTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows extracted from XML columns follow their documents, each parent guarded by its own position in
 * {@code cdc_extraction_positions}: per parent the newest change that sent the document (or deleted the parent)
 * replaces the rows, if it is newer than what they came from. The claim is one statement, so writers running at once
 * on the same parent agree on which of them replaces its rows.
 */
final class ExtractedDocuments {

    private final Map<TableId, List<XmlExtraction>> rulesBySource;

    ExtractedDocuments(Map<TableId, List<XmlExtraction>> rulesBySource) {
        this.rulesBySource = rulesBySource;
    }

    /** Replaces the extracted rows of the parents whose documents these changes carry. */
    void write(Connection c, List<PreparedChange> all) throws SQLException {
        for (Map.Entry<TableId, List<XmlExtraction>> e : rulesBySource.entrySet()) {
            for (XmlExtraction rule : e.getValue()) {
                Map<String, PreparedChange> newest = new LinkedHashMap<>();
                for (PreparedChange change : all) {
                    if (change.event().table().equals(e.getKey())
                            && (change.deleted() || change.extracted().containsKey(rule.target()))) {
                        newest.merge(change.key().get(0), change, (a, b) -> b.position().compareTo(a.position()) > 0 ? b : a);
                    }
                }
                if (newest.isEmpty()) {
                    continue;
                }
                Map<String, Position> positions = new LinkedHashMap<>();
                newest.forEach((parent, change) -> positions.put(parent, change.position()));
                Set<String> replaced = claim(c, rule.target(), positions);
                PreparedChange any = newest.values().iterator().next();
                ExtractedRows target = new ExtractedRows(rule, any.table().column(any.table().key().get(0)));
                target.delete(c, replaced);
                target.insert(c, newest.values().stream()
                        .filter(ch -> replaced.contains(ch.key().get(0)) && !ch.deleted()).toList());
            }
        }
    }

    /** A truncate of the parent table: the extracted rows of these parents go, as of its position. */
    void truncated(Connection c, TableId source, OdsTable parent, Set<String> parentKeys, Position position)
            throws SQLException {
        if (parentKeys.isEmpty()) {
            return;
        }
        for (XmlExtraction rule : rulesBySource.getOrDefault(source, List.of())) {
            Map<String, Position> parents = new LinkedHashMap<>();
            parentKeys.forEach(k -> parents.put(k, position));
            Set<String> replaced = claim(c, rule.target(), parents);
            new ExtractedRows(rule, parent.column(parent.key().get(0))).delete(c, replaced);
        }
    }

    /** Moves each parent's document position forward (in key order: writers at once wait, not deadlock); returns the parents whose rows must be replaced. */
    private static Set<String> claim(Connection c, String target, Map<String, Position> newest) throws SQLException {
        Map<String, Position> sorted = new java.util.TreeMap<>(newest);
        String[] keys = sorted.keySet().toArray(String[]::new);
        Long[] scn = sorted.values().stream().map(Position::scn).toArray(Long[]::new);
        Long[] seq = sorted.values().stream().map(Position::sequence).toArray(Long[]::new);
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_extraction_positions (target, parent_key, source_scn, source_seq)
                SELECT ?, u.k, u.scn, u.seq FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS u(k, scn, seq)
                ON CONFLICT (target, parent_key) DO UPDATE SET source_scn = EXCLUDED.source_scn,
                    source_seq = EXCLUDED.source_seq
                WHERE (cdc_extraction_positions.source_scn, cdc_extraction_positions.source_seq)
                    < (EXCLUDED.source_scn, EXCLUDED.source_seq)
                RETURNING parent_key""")) {
            ps.setString(1, target);
            ps.setArray(2, c.createArrayOf("text", keys));
            ps.setArray(3, c.createArrayOf("bigint", scn));
            ps.setArray(4, c.createArrayOf("bigint", seq));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
