package dev.cdc.ods.apply;

import dev.cdc.common.admission.Admitted;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.ValueType;
import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import dev.cdc.common.xml.MalformedPolicy;
import dev.cdc.common.xml.MalformedXmlException;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractor;
import dev.cdc.ods.schema.OdsCatalog;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.SqlIdentifier.InvalidIdentifierException;
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
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Turns admitted changes into rows ready to write: the ODS table of each (created, or widened by new columns, as the
 * source's schema says), its key, its values coerced to the columns' types (a coercion that would lose data is a
 * dead letter, and recorded), what it holds beyond the table's columns ({@code _extra}), and the rows its XML
 * documents extract to. Changes older than their table's newest truncate are left out. Not thread-safe.
 */
final class ChangePlanner {

    /** Makes a dead letter of a message, naming the consumer and the time. */
    interface DeadLetters {
        DeadLetter of(BrokerMessage original, ErrorType type, String reason);
    }

    private final DataSource dataSource;
    private final TableMapping mapping;
    private final boolean addColumns;
    private final boolean extractXml;
    private final OdsCatalog catalog;
    private final SourceTables sourceTables;
    private final Map<TableId, List<XmlExtraction>> extractionsBySource;
    private final DeadLetters deadLetters;
    private final XmlExtractor extractor = new XmlExtractor();
    private final Map<ConnectSchema, List<SourceColumn>> columnsBySchema = new HashMap<>();
    private final Set<String> ensuredTargets = new HashSet<>();

    ChangePlanner(DataSource dataSource, TableMapping mapping, boolean addColumns, boolean extractXml, OdsCatalog catalog,
                  SourceTables sourceTables, Map<TableId, List<XmlExtraction>> extractionsBySource,
                  DeadLetters deadLetters) {
        this.dataSource = dataSource;
        this.mapping = mapping;
        this.addColumns = addColumns;
        this.extractXml = extractXml;
        this.catalog = catalog;
        this.sourceTables = sourceTables;
        this.extractionsBySource = extractionsBySource;
        this.deadLetters = deadLetters;
    }

    /** Source columns of one event: ODS name, source name, value type. */
    private record SourceColumn(SqlIdentifier name, String source, ValueType type) {
    }

    List<PreparedChange> prepare(List<Admitted.Change> decoded, List<DeadLetter> dead) throws SQLException {
        // What each table must hold for this batch: its key and every column its events carry.
        Map<SqlIdentifier, List<OdsColumn>> keys = new LinkedHashMap<>();
        Map<SqlIdentifier, LinkedHashMap<SqlIdentifier, OdsColumn>> wanted = new LinkedHashMap<>();
        Map<SqlIdentifier, Long> firstScn = new HashMap<>();
        List<Object[]> accepted = new ArrayList<>();
        Set<SqlIdentifier> unknown = new HashSet<>();
        for (Admitted.Change d : decoded) {
            try {
                SqlIdentifier name = mapping.stateTable(d.event().table());
                if (!sourceTables.knows(name)) {
                    unknown.add(name);
                }
            } catch (InvalidIdentifierException e) {
                // named per change below
            }
        }
        if (!unknown.isEmpty()) { // read once per table, not per batch
            try (Connection c = dataSource.getConnection()) {
                for (SqlIdentifier name : unknown) {
                    sourceTables.load(c, name);
                }
                c.commit();
            }
        }
        for (Admitted.Change d : decoded) {
            try {
                SqlIdentifier table = mapping.stateTable(d.event().table());
                String conflict = sourceTables.conflict(table, d.event().table());
                if (conflict != null) {
                    dead.add(deadLetters.of(d.original(), ErrorType.INVALID_IDENTIFIER, conflict));
                    continue;
                }
                if (sourceTables.truncatedAfter(table, d.event().position())) {
                    continue; // older than a truncate of its table: that row is gone
                }
                List<SourceColumn> columns = sourceColumns(d.event());
                Map<String, SourceColumn> bySource = columns.stream()
                        .collect(Collectors.toMap(SourceColumn::source, Function.identity()));
                List<OdsColumn> key = new ArrayList<>();
                for (String keyColumn : d.event().key().keySet()) {
                    SourceColumn col = bySource.get(keyColumn);
                    if (col == null) {
                        throw new MissingKeyColumn(keyColumn);
                    }
                    key.add(OdsColumn.of(col.name(), col.type()));
                }
                keys.putIfAbsent(table, key);
                LinkedHashMap<SqlIdentifier, OdsColumn> cols = wanted.computeIfAbsent(table, t -> new LinkedHashMap<>());
                columns.forEach(col -> cols.putIfAbsent(col.name(), OdsColumn.of(col.name(), col.type())));
                firstScn.putIfAbsent(table, d.event().position().scn());
                accepted.add(new Object[] {d, table, columns});
            } catch (InvalidIdentifierException e) {
                dead.add(deadLetters.of(d.original(), ErrorType.INVALID_IDENTIFIER, e.getMessage()));
            } catch (MissingKeyColumn e) {
                dead.add(deadLetters.of(d.original(), ErrorType.MISSING_KEY, e.getMessage()));
            }
        }
        Map<SqlIdentifier, OdsTable> tables = new HashMap<>();
        for (Map.Entry<SqlIdentifier, List<OdsColumn>> e : keys.entrySet()) {
            SqlIdentifier name = e.getKey();
            boolean exists = catalog.table(name).isPresent();
            List<OdsColumn> columns = addColumns || !exists ? new ArrayList<>(wanted.get(name).values()) : e.getValue();
            tables.put(name, catalog.ensure(name, e.getValue(), columns, firstScn.get(name)));
        }
        ensureExtractedTables(tables);
        List<PreparedChange> out = new ArrayList<>(accepted.size());
        for (Object[] a : accepted) {
            Admitted.Change d = (Admitted.Change) a[0];
            @SuppressWarnings("unchecked")
            List<SourceColumn> columns = (List<SourceColumn>) a[2];
            try {
                out.add(prepareOne(d, tables.get((SqlIdentifier) a[1]), columns, dead));
            } catch (UnsafeCoercionException e) {
                dead.add(deadLetters.of(d.original(), ErrorType.UNSAFE_TYPE_CHANGE, e.getMessage()));
            }
        }
        return out;
    }

    private PreparedChange prepareOne(Admitted.Change d, OdsTable table, List<SourceColumn> columns, List<DeadLetter> dead)
            throws SQLException {
        ChangeEvent event = d.event();
        Map<String, Object> row = event.row();
        Map<SqlIdentifier, Object> values = new LinkedHashMap<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<SqlIdentifier, SourceColumn> bySqlName = new HashMap<>();
        columns.forEach(col -> bySqlName.put(col.name(), col));
        for (OdsColumn column : table.columns().values()) {
            SourceColumn source = bySqlName.get(column.name());
            // a column the event's schema lacks (dropped at the source) is NULL, as the source row now is
            Object value = source == null ? null : row.get(source.source());
            if (value == Unavailable.VALUE) {
                values.put(column.name(), value);
                continue;
            }
            if (source != null && source.type() != column.type() && !column.type().holds(source.type())) {
                try {
                    values.put(column.name(), column.type().coerce(value));
                    catalog.recordTypeChange(table.name(), column.name(), column.sqlType(), source.type().name(), true,
                            event.position().scn());
                } catch (UnsafeCoercionException e) {
                    catalog.recordTypeChange(table.name(), column.name(), column.sqlType(), source.type().name(), false,
                            event.position().scn());
                    throw new UnsafeCoercionException(value, column.type(), table.name() + "." + column.name());
                }
            } else {
                values.put(column.name(), column.type().coerce(value));
            }
        }
        for (SourceColumn col : columns) {
            if (!table.columns().containsKey(col.name())) {
                Object value = row.get(col.source());
                if (value != Unavailable.VALUE) {
                    extra.put(col.source(), value);
                }
            }
        }
        List<String> key = new ArrayList<>(table.key().size());
        for (SqlIdentifier k : table.key()) {
            key.add(SqlText.of(values.get(k)));
        }
        Map<String, List<Map<String, Object>>> extracted = new HashMap<>();
        if (extractXml && event.op() != dev.cdc.common.event.Operation.DELETE) {
            for (XmlExtraction rule : extractionsBySource.getOrDefault(event.table(), List.of())) {
                if (!row.containsKey(rule.column()) || row.get(rule.column()) == Unavailable.VALUE) {
                    continue; // document not sent: its rows stay as they are
                }
                Object document = row.get(rule.column());
                try {
                    extracted.put(rule.target(), extractor.extract(rule, values.get(table.key().get(0)),
                            document == null ? null : document.toString()));
                } catch (MalformedXmlException e) {
                    if (rule.onMalformed() == MalformedPolicy.FAIL) {
                        throw new IllegalStateException("XML rule " + rule.name() + " is set to fail on a malformed"
                                + " document: " + e.getMessage() + " (message " + d.original().topic() + " key "
                                + d.original().property(MessageProperties.KEY) + ")", e);
                    }
                    if (rule.onMalformed() == MalformedPolicy.DLQ) {
                        dead.add(deadLetters.of(d.original(), ErrorType.MALFORMED_XML, rule.column() + ": " + e.getMessage()));
                    }
                    extracted.put(rule.target(), List.of()); // the parent lands; its old rows no longer stand
                }
            }
        }
        return new PreparedChange(d.original(), event, table, key, values, extra.isEmpty() ? null : extra, extracted);
    }

    /** Per value schema (schemas repeat, events don't), so names are validated once, not per event. */
    private List<SourceColumn> sourceColumns(ChangeEvent event) {
        List<SourceColumn> known = columnsBySchema.get(event.valueSchema());
        if (known != null) {
            return known;
        }
        List<SourceColumn> columns = List.copyOf(sourceColumnsOf(event));
        if (columnsBySchema.size() > 10_000) {
            columnsBySchema.clear(); // a bound, not an expected case: schemas change rarely
        }
        columnsBySchema.put(event.valueSchema(), columns);
        return columns;
    }

    private List<SourceColumn> sourceColumnsOf(ChangeEvent event) {
        List<XmlExtraction> rules = extractionsBySource.getOrDefault(event.table(), List.of());
        List<SourceColumn> out = new ArrayList<>();
        for (ConnectSchema.Field field : event.valueSchema().fields()) {
            if (rules.stream().noneMatch(r -> r.column().equals(field.name()))) {
                out.add(new SourceColumn(SqlIdentifier.of(field.name()), field.name(), ValueType.of(field.schema())));
            }
        }
        return out;
    }

    private void ensureExtractedTables(Map<SqlIdentifier, OdsTable> tables) throws SQLException {
        for (Map.Entry<TableId, List<XmlExtraction>> e : extractionsBySource.entrySet()) {
            OdsTable parent = tables.get(mapping.stateTable(e.getKey()));
            if (parent == null) {
                continue;
            }
            if (!extractXml || e.getValue().stream().allMatch(r -> ensuredTargets.contains(r.target()))) {
                continue;
            }
            try (Connection c = dataSource.getConnection()) {
                for (XmlExtraction rule : e.getValue()) {
                    new ExtractedRows(rule, parent.column(parent.key().get(0))).ensureTable(c);
                }
                c.commit();
            }
            e.getValue().forEach(r -> ensuredTargets.add(r.target()));
        }
    }

    private static final class MissingKeyColumn extends Exception {
        MissingKeyColumn(String column) {
            super("key column " + column + " is not in the event's schema");
        }
    }
}
