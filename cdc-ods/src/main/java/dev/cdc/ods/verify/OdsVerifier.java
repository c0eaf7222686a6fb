package dev.cdc.ods.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Compares the ODS with a truth directory ({@code docs/truth-format.md}) and names every missing, extra or different
 * row:
 * <ul>
 *   <li>each source table's state table: a live truth row expects {@code _deleted = false} and every truth column
 *       (but the manifest's {@code xml_columns}) equal; a deleted one expects a tombstone ({@code _deleted = true}),
 *       its other columns not compared;</li>
 *   <li>each extracted table: every truth column, keyed by the manifest's {@code extracted.<table>.key};</li>
 *   <li>the enriched orders: the {@code enriched} JSON equal to the truth's line, exactly the live orders.</li>
 * </ul>
 * Values compare by meaning (numbers numerically, timestamps as date-times, JSON structurally). It only reads: all
 * tables are read in one read-only repeatable-read transaction, so a pipeline still writing cannot tear the picture.
 */
public final class OdsVerifier {

    public static final int DEFAULT_EXAMPLES = 5;

    private final DataSource ods;
    private final TableMapping mapping;
    private final int examples;

    /** @param examples how many rows of each kind (missing, extra, different) a table result names */
    public OdsVerifier(DataSource ods, TableMapping mapping, int examples) {
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, was " + examples);
        }
        this.ods = ods;
        this.mapping = mapping;
        this.examples = examples;
    }

    public OdsVerifier(DataSource ods, TableMapping mapping) {
        this(ods, mapping, DEFAULT_EXAMPLES);
    }

    /**
     * @throws SQLException when the ODS can't be read (unreachable, no permission); a table that does not exist is a
     *                      result (every expected row missing), not an exception
     * @throws IllegalArgumentException when the truth's manifest lacks a key it needs
     */
    public VerificationReport verify(SourceTruth truth) throws SQLException {
        List<TableComparison> comparisons = new ArrayList<>();
        JsonNode manifest = truth.manifest();
        for (Map.Entry<TableId, List<TruthRow>> e : truth.tables().entrySet()) {
            comparisons.add(stateTable(e.getKey(), manifest.path("tables").path(e.getKey().toString()), e.getValue()));
        }
        for (Map.Entry<String, List<Map<String, Object>>> e : truth.extracted().entrySet()) {
            List<String> key = names(manifest.path("extracted").path(e.getKey()).path("key"));
            require(!key.isEmpty(), "extracted." + e.getKey() + ".key");
            comparisons.add(rows(new SqlIdentifier(e.getKey()), "extracted", key, e.getValue(), Function.identity()));
        }
        JsonNode enriched = manifest.path("enriched");
        List<String> enrichedKey = enriched.has("key") ? names(enriched.path("key")) : List.of("order_id");
        comparisons.add(rows(new SqlIdentifier(enriched.path("table").asText("cdc_orders_enriched")), "enriched",
                enrichedKey, truth.enriched(), row -> Map.of("enriched", row)));

        List<TableResult> results = new ArrayList<>();
        try (Connection c = ods.getConnection()) {
            // one snapshot for every table; a cursor (fetch size) needs autocommit off. The pool resets all three.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                for (TableComparison comparison : comparisons) {
                    results.add(comparison.run(c));
                }
            } finally {
                c.rollback();
            }
        }
        return new VerificationReport(results);
    }

    private TableComparison stateTable(TableId source, JsonNode meta, List<TruthRow> rows) {
        List<String> sourceKey = names(meta.path("key"));
        if (sourceKey.isEmpty() && !rows.isEmpty()) {
            sourceKey = List.copyOf(rows.get(0).key().keySet());
        }
        Set<String> xmlColumns = new HashSet<>(names(meta.path("xml_columns")));
        Map<String, String> odsNames = new HashMap<>(); // validated once per column, not once per row and column
        LinkedHashMap<List<String>, Map<String, Object>> expected = new LinkedHashMap<>();
        for (TruthRow r : rows) {
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put(TableComparison.DELETED, r.deleted());
            if (!r.deleted()) {
                r.row().forEach((name, value) -> {
                    if (!xmlColumns.contains(name)) {
                        columns.put(odsNames.computeIfAbsent(name, OdsVerifier::column), value);
                    }
                });
            }
            expected.put(sourceKey.stream().map(k -> Values.keyPart(r.key().get(k))).toList(), columns);
        }
        List<String> key = sourceKey.stream().map(OdsVerifier::column).toList();
        return new TableComparison(mapping.stateTable(source), source.toString(), key, expected, examples);
    }

    /** A table whose truth rows are maps of column names (lower case already): extracted rows and enriched orders. */
    private TableComparison rows(SqlIdentifier table, String source, List<String> key, List<Map<String, Object>> rows,
                                 Function<Map<String, Object>, Map<String, Object>> columns) {
        List<String> keyColumns = key.stream().map(OdsVerifier::column).toList();
        Map<String, String> odsNames = new HashMap<>();
        LinkedHashMap<List<String>, Map<String, Object>> expected = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> named = new LinkedHashMap<>();
            row.forEach((name, value) -> named.put(odsNames.computeIfAbsent(name, OdsVerifier::column), value));
            expected.put(keyColumns.stream().map(k -> Values.keyPart(named.get(k))).toList(), columns.apply(named));
        }
        return new TableComparison(table, source, keyColumns, expected, examples);
    }

    /** The ODS column of a source column, by the writer's own rule. */
    private static String column(String sourceName) {
        return SqlIdentifier.of(sourceName).name();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static void require(boolean present, String manifestKey) {
        if (!present) {
            throw new IllegalArgumentException("truth manifest lacks " + manifestKey);
        }
    }
}
