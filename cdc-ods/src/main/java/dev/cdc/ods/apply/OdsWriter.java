package dev.cdc.ods.apply;

import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.Admitted;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.ValueType;
import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import dev.cdc.common.xml.MalformedPolicy;
import dev.cdc.common.xml.MalformedXmlException;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractor;
import dev.cdc.ods.dlq.DeadLetterStore;
import dev.cdc.ods.schema.OdsCatalog;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.SqlIdentifier.InvalidIdentifierException;
import dev.cdc.ods.schema.TableMapping;
import dev.cdc.common.fault.BatchBisection;
import dev.cdc.common.fault.FaultKind;
import dev.cdc.common.fault.RetrySettings;
import dev.cdc.common.fault.TransientRetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches of broker messages to the ODS. One batch is one transaction: the state rows (one statement per
 * table, guarded by the position so arrival order does not matter), the rows extracted from XML columns, the
 * enriched orders and revenue windows the batch touched, its dead letters, and its identity, so a batch that is
 * delivered again is recognised and changes nothing.
 *
 * <p>Bad data and transient faults are kept apart. A message that is bad in itself (unreadable, a value that can't
 * be coerced, a row the database refuses) becomes a dead letter and the rest of the batch lands; a row the
 * database refuses is found by splitting the batch under savepoints. A database that is down or unreachable is
 * retried with exponential backoff; if it stays away, {@link OdsUnavailableException} tells the caller to
 * acknowledge nothing. Not thread-safe: one writer per consumer.
 */
public final class OdsWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OdsWriter.class);
    /** Advisory lock key of the derived tables ("cdcjoin" in ASCII); the DDL lock uses its own. */
    private static final long DERIVED_TABLES_LOCK = 0x6364636A6F696EL;

    /**
     * @param join the enriched-order definition, or null for none
     * @param addColumns a new source column becomes a real column; if false its values go to {@code _extra}
     * @param extractXml whether the rules' documents are extracted; if false their columns are only left out of the
     *     state tables (to measure the state writes alone)
     * @param windowLateness how late (in source commit time) a change may be and still count in its revenue window;
     *     past it the window is closed
     */
    public record Options(String consumerId, TableMapping mapping, List<XmlExtraction> extractions,
                          EnrichedOrderDefinition join, boolean addColumns, RetrySettings retry, boolean extractXml,
                          Duration windowLateness, AdmissionSettings admission) {

        public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(10);

        public Options {
            extractions = List.copyOf(extractions);
        }

        public Options(String consumerId, TableMapping mapping, List<XmlExtraction> extractions,
                       EnrichedOrderDefinition join, boolean addColumns, RetrySettings retry, boolean extractXml,
                       Duration windowLateness) {
            this(consumerId, mapping, extractions, join, addColumns, retry, extractXml, windowLateness,
                    AdmissionSettings.defaults());
        }

        public Options(String consumerId, TableMapping mapping, List<XmlExtraction> extractions,
                       EnrichedOrderDefinition join, boolean addColumns, RetrySettings retry) {
            this(consumerId, mapping, extractions, join, addColumns, retry, true, DEFAULT_LATENESS);
        }

        public Options withWindowLateness(Duration lateness) {
            return new Options(consumerId, mapping, extractions, join, addColumns, retry, extractXml, lateness, admission);
        }

        public Options withAdmission(AdmissionSettings settings) {
            return new Options(consumerId, mapping, extractions, join, addColumns, retry, extractXml, windowLateness,
                    settings);
        }
    }

    private final DataSource dataSource;
    private final Options options;
    private final OdsCatalog catalog;
    private final Admission admission;
    private final SourceTables sourceTables = new SourceTables();
    private final XmlExtractor extractor = new XmlExtractor();
    private final Map<TableId, List<XmlExtraction>> extractionsBySource;
    private final EnrichedOrders enriched;
    private final TransientRetry retry;
    private final Clock clock;
    private final Map<ConnectSchema, List<SourceColumn>> columnsBySchema = new HashMap<>();
    private final Set<String> ensuredTargets = new HashSet<>();

    public OdsWriter(DataSource dataSource, Options options) {
        this(dataSource, options, Clock.systemUTC());
    }

    OdsWriter(DataSource dataSource, Options options, Clock clock) {
        this.dataSource = dataSource;
        this.options = options;
        this.clock = clock;
        this.catalog = new OdsCatalog(dataSource);
        this.extractionsBySource = options.extractions().stream()
                .collect(Collectors.groupingBy(XmlExtraction::source, LinkedHashMap::new, Collectors.toList()));
        this.enriched = options.join() == null ? null
                : new EnrichedOrders(options.join(), options.mapping(), catalog, options.windowLateness());
        this.retry = new TransientRetry("ODS", options.retry(), OdsWriter::classify)
                .onRetry((n, wait, fault) -> {
                    catalog.invalidate(); // a restarted database may have lost DDL
                    sourceTables.invalidate();
                });
        this.admission = new Admission(options.admission(), this::odsKey);
    }

    /**
     * The key of a table whose messages carry none: the primary key of its ODS table, if it exists, as the source
     * columns of this row schema that map to its key columns.
     */
    private List<String> odsKey(TableId table, ConnectSchema rowSchema) {
        Optional<OdsTable> ods;
        try {
            ods = catalog.table(options.mapping().stateTable(table));
        } catch (SQLException e) {
            throw new OdsLookupFailed(e); // retried with the batch
        } catch (InvalidIdentifierException e) {
            return List.of();
        }
        if (ods.isEmpty()) {
            return List.of();
        }
        List<String> key = new ArrayList<>();
        for (SqlIdentifier column : ods.get().key()) {
            rowSchema.fields().stream().map(ConnectSchema.Field::name)
                    .filter(name -> SqlIdentifier.isValid(name) && SqlIdentifier.of(name).equals(column))
                    .findFirst().ifPresent(key::add);
        }
        return key.size() == ods.get().key().size() ? key : List.of();
    }

    /** A database error met while admitting a message, carried out to the batch's retry. */
    private static final class OdsLookupFailed extends RuntimeException {
        OdsLookupFailed(SQLException cause) {
            super(cause);
        }
    }

    /** The writer's retry of transient faults: its counts and circuit state show an outage being waited out. */
    public TransientRetry retry() {
        return retry;
    }

    /** Ends a wait for an unreachable database now (on shutdown); the batch under way is acknowledged nothing. */
    public void stop() {
        retry.stop();
    }

    /** The catalog this writer keeps (for tests and the verifier). */
    public OdsCatalog catalog() {
        return catalog;
    }

    /**
     * Applies one batch.
     *
     * @param batchId the batch's identity for this consumer, increasing (Spark's batch id, or the highest broker
     *     position); negative for no identity (a replay of dead letters)
     * @throws OdsUnavailableException when the database stays unreachable: acknowledge nothing
     */
    public BatchResult apply(long batchId, List<BrokerMessage> messages) throws OdsUnavailableException {
        long started = System.nanoTime();
        try {
            BatchResult result = retry.call(() -> {
                try {
                    return applyOnce(batchId, admit(messages));
                } catch (OdsLookupFailed e) {
                    throw (SQLException) e.getCause();
                }
            });
            return result.took(Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OdsUnavailableException("stopped while batch " + batchId + " waited for the ODS", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("batch " + batchId + " failed: " + summary(e), e);
        }
    }

    /** A batch's messages as the core's admission rule sees them. */
    private record Admissions(int events, List<Admitted.Change> changes, List<Admitted.Truncate> truncates,
                              List<Admitted.SchemaChange> ddl, List<DeadLetter> rejected, int skipped) {
    }

    private Admissions admit(List<BrokerMessage> messages) {
        List<Admitted.Change> changes = new ArrayList<>(messages.size());
        List<Admitted.Truncate> truncates = new ArrayList<>();
        List<Admitted.SchemaChange> ddl = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        int skipped = 0;
        for (BrokerMessage m : messages) {
            Admitted admitted = admission.admit(m);
            if (admitted instanceof Admitted.Change c) {
                changes.add(c);
            } else if (admitted instanceof Admitted.Truncate t) {
                truncates.add(t);
            } else if (admitted instanceof Admitted.SchemaChange d) {
                ddl.add(d);
            } else if (admitted instanceof Admitted.Rejected r) {
                rejected.add(deadLetter(r.original(), r.errorType(), r.reason()));
            } else {
                skipped++;
            }
        }
        return new Admissions(messages.size(), changes, truncates, ddl, rejected, skipped);
    }

    private BatchResult applyOnce(long batchId, Admissions batch) throws SQLException {
        try {
            return applyOnce(batchId, batch, false);
        } catch (SQLException e) {
            if (isTransient(e)) {
                throw e;
            }
            // a row the database refuses: again, isolating it under savepoints so the rest lands
            return applyOnce(batchId, batch, true);
        }
    }

    private BatchResult applyOnce(long batchId, Admissions batch, boolean isolate) throws SQLException {
        List<DeadLetter> dead = new ArrayList<>(batch.rejected());
        List<PreparedChange> prepared = prepare(batch.changes(), dead);
        // One change per row: the newest; the position guard would keep it anyway, but one statement can't write a row twice.
        Map<List<Object>, PreparedChange> newest = new LinkedHashMap<>();
        for (PreparedChange change : prepared) {
            newest.merge(List.of(change.table().name(), change.key()), change,
                    (a, b) -> b.position().compareTo(a.position()) > 0 ? b : a);
        }
        List<PreparedChange> changes = new ArrayList<>(newest.values());
        try (Connection c = dataSource.getConnection()) {
            try {
                sourceTables.save(c);
                Set<String> formerOrders = enriched == null ? Set.of()
                        : enriched.ordersOfItems(c, keysOf(changes, enriched.itemsTable()));
                Map<SqlIdentifier, Set<List<String>>> written = new HashMap<>();
                if (isolate) {
                    applyIsolating(c, changes, written, dead);
                } else {
                    written.putAll(write(c, changes)); // no savepoints while nothing has failed: fewer round trips
                }
                for (Admitted.Truncate truncate : batch.truncates()) {
                    truncate(c, truncate, written, dead);
                }
                writeExtracted(c, prepared);
                recordDdl(c, batch.ddl());
                int recomputed = 0;
                if (enriched != null) {
                    // Writers that run at once (two consumers on one queue) take turns here: each recompute then
                    // reads every state row the other committed, and the revenue deltas never interleave.
                    lockDerivedTables(c);
                    Set<String> affected = enriched.affected(c, first(written.get(enriched.ordersTable())),
                            first(written.get(enriched.itemsTable())), first(written.get(enriched.customersTable())),
                            first(written.get(enriched.productsTable())));
                    affected.addAll(formerOrders);
                    long newestCommit = prepared.stream().mapToLong(p -> p.event().source().tsMs()).max().orElse(0);
                    recomputed = enriched.recompute(c, affected, newestCommit);
                }
                DeadLetterStore.insert(c, dead);
                if (batchId >= 0) {
                    recordProgress(c, batchId, batch.events());
                }
                c.commit();
                sourceTables.committed();
                int writtenRows = written.values().stream().mapToInt(Set::size).sum();
                long[] changeTimes = batch.changes().stream()
                        .filter(ch -> ch.event().op() != dev.cdc.common.event.Operation.READ)
                        .mapToLong(ch -> ch.event().source().tsMs()).toArray();
                return new BatchResult(batchId, batch.events(), writtenRows, prepared.size() - writtenRows
                        - (int) dead.stream().filter(d -> d.errorType() == ErrorType.REJECTED_BY_DATABASE).count(),
                        dead, recomputed, Duration.ZERO, batch.skipped() + batch.ddl().size(), changeTimes);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                sourceTables.rolledBack();
                throw e;
            }
        }
    }

    /**
     * A truncate: every row of the table written before its position becomes a tombstone at that position (rows of
     * later changes, in this batch or before, stay), their extracted rows go, and changes older than it that arrive
     * later are stale.
     */
    private void truncate(Connection c, Admitted.Truncate truncate, Map<SqlIdentifier, Set<List<String>>> written,
                          List<DeadLetter> dead) throws SQLException {
        SqlIdentifier name;
        try {
            name = options.mapping().stateTable(truncate.table());
        } catch (InvalidIdentifierException e) {
            dead.add(deadLetter(truncate.original(), ErrorType.INVALID_IDENTIFIER, e.getMessage()));
            return;
        }
        String conflict = sourceTables.claim(c, name, truncate.table());
        if (conflict != null) {
            dead.add(deadLetter(truncate.original(), ErrorType.INVALID_IDENTIFIER, conflict));
            return;
        }
        sourceTables.truncated(c, name, truncate.position());
        Optional<OdsTable> table = catalog.table(name);
        if (table.isEmpty()) {
            return; // nothing landed yet; the watermark keeps older changes out
        }
        Set<List<String>> keys = StateUpsert.truncate(c, table.get(), truncate.position(), truncate.source().tsMs());
        written.computeIfAbsent(name, n -> new HashSet<>()).addAll(keys);
        if (!options.extractXml() || keys.isEmpty()) {
            return;
        }
        for (XmlExtraction rule : extractionsBySource.getOrDefault(truncate.table(), List.of())) {
            Map<String, dev.cdc.common.event.Position> parents = new LinkedHashMap<>();
            keys.forEach(k -> parents.put(k.get(0), truncate.position()));
            Set<String> replaced = claimDocuments(c, rule.target(), parents);
            new ExtractedRows(rule, table.get().column(table.get().key().get(0))).delete(c, replaced);
        }
    }

    /** The connector's schema-change events, kept in {@code cdc_source_ddl} for operators. */
    private static void recordDdl(Connection c, List<Admitted.SchemaChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_source_ddl (source_table, ddl, source_ts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Admitted.SchemaChange change : changes) {
                ps.setString(1, change.table() == null ? null : change.table().toString());
                ps.setString(2, change.ddl());
                ps.setObject(3, java.time.OffsetDateTime.ofInstant(Instant.ofEpochMilli(change.tsMs()),
                        java.time.ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records the last batch this consumer applied, for operators. It is not used to skip anything: a batch id is
     * only unique within one checkpoint (a new checkpoint, or a second consumer with the same id, numbers from 0
     * again), so a skip by batch id would acknowledge new messages unwritten. Replays are recognised row by row by the
     * position guard instead, which cannot be fooled.
     */
    private void recordProgress(Connection c, long batchId, int events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_applied_batches (consumer_id, batch_id, events) VALUES (?, ?, ?)
                ON CONFLICT (consumer_id) DO UPDATE SET batch_id = EXCLUDED.batch_id, events = EXCLUDED.events,
                    applied_at = now()""")) {
            ps.setString(1, options.consumerId());
            ps.setLong(2, batchId);
            ps.setInt(3, events);
            ps.executeUpdate();
        }
    }

    /** A transaction-scoped lock on the derived tables (enriched orders, revenue windows), released at commit. */
    private static void lockDerivedTables(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, DERIVED_TABLES_LOCK);
            ps.executeQuery().close();
        }
    }

    /**
     * Writes the changes; a change the database refuses is isolated by halving under savepoints (the core's
     * {@link BatchBisection}) and becomes a dead letter, the others land.
     */
    private void applyIsolating(Connection c, List<PreparedChange> changes, Map<SqlIdentifier, Set<List<String>>> written,
                                List<DeadLetter> dead) throws SQLException {
        BatchBisection.Outcome<PreparedChange, Map<SqlIdentifier, Set<List<String>>>> outcome;
        try {
            outcome = BatchBisection.apply(changes, part -> {
                Savepoint savepoint = c.setSavepoint();
                try {
                    Map<SqlIdentifier, Set<List<String>>> here = write(c, part);
                    c.releaseSavepoint(savepoint);
                    return here;
                } catch (SQLException e) {
                    if (!isTransient(e)) {
                        c.rollback(savepoint); // the transaction goes on without this part
                    }
                    throw e;
                }
            }, OdsWriter::classify);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        outcome.accepted().forEach(here -> here.forEach((table, keys) ->
                written.computeIfAbsent(table, t -> new HashSet<>()).addAll(keys)));
        outcome.refused().forEach(r -> dead.add(deadLetter(r.record().original(), ErrorType.REJECTED_BY_DATABASE,
                summary(r.reason()))));
    }

    private Map<SqlIdentifier, Set<List<String>>> write(Connection c, List<PreparedChange> changes) throws SQLException {
        Map<OdsTable, List<PreparedChange>> byTable = new LinkedHashMap<>();
        changes.forEach(ch -> byTable.computeIfAbsent(ch.table(), t -> new ArrayList<>()).add(ch));
        Map<SqlIdentifier, Set<List<String>>> written = new HashMap<>();
        for (Map.Entry<OdsTable, List<PreparedChange>> e : byTable.entrySet()) {
            written.put(e.getKey().name(), StateUpsert.apply(c, e.getKey(), e.getValue()));
        }
        return written;
    }

    /**
     * Extracted rows follow their documents, each guarded by its own position: per parent the newest change that
     * sent the document (or deleted the parent) replaces the rows, if it is newer than what they came from.
     */
    private void writeExtracted(Connection c, List<PreparedChange> all) throws SQLException {
        if (!options.extractXml()) {
            return;
        }
        for (Map.Entry<TableId, List<XmlExtraction>> e : extractionsBySource.entrySet()) {
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
                Map<String, dev.cdc.common.event.Position> positions = new LinkedHashMap<>();
                newest.forEach((parent, change) -> positions.put(parent, change.position()));
                Set<String> replaced = claimDocuments(c, rule.target(), positions);
                PreparedChange any = newest.values().iterator().next();
                ExtractedRows target = new ExtractedRows(rule, any.table().column(any.table().key().get(0)));
                target.delete(c, replaced);
                target.insert(c, newest.values().stream()
                        .filter(ch -> replaced.contains(ch.key().get(0)) && !ch.deleted()).toList());
            }
        }
    }

    /** Moves each parent's document position forward; returns the parents whose rows must be replaced. */
    private static Set<String> claimDocuments(Connection c, String target,
                                              Map<String, dev.cdc.common.event.Position> newest) throws SQLException {
        String[] keys = newest.keySet().toArray(String[]::new);
        Long[] scn = newest.values().stream().map(dev.cdc.common.event.Position::scn).toArray(Long[]::new);
        Long[] seq = newest.values().stream().map(dev.cdc.common.event.Position::sequence).toArray(Long[]::new);
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

    // ------------------------------------------------------------------ preparing changes

    /** Source columns of one event: ODS name, source name, value type. */
    private record SourceColumn(SqlIdentifier name, String source, ValueType type) {
    }

    private List<PreparedChange> prepare(List<Admitted.Change> decoded, List<DeadLetter> dead) throws SQLException {
        // What each table must hold for this batch: its key and every column its events carry.
        Map<SqlIdentifier, List<OdsColumn>> keys = new LinkedHashMap<>();
        Map<SqlIdentifier, LinkedHashMap<SqlIdentifier, OdsColumn>> wanted = new LinkedHashMap<>();
        Map<SqlIdentifier, Long> firstScn = new HashMap<>();
        List<Object[]> accepted = new ArrayList<>();
        Set<SqlIdentifier> unknown = new HashSet<>();
        for (Admitted.Change d : decoded) {
            try {
                SqlIdentifier name = options.mapping().stateTable(d.event().table());
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
                SqlIdentifier table = options.mapping().stateTable(d.event().table());
                String conflict = sourceTables.conflict(table, d.event().table());
                if (conflict != null) {
                    dead.add(deadLetter(d.original(), ErrorType.INVALID_IDENTIFIER, conflict));
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
                dead.add(deadLetter(d.original(), ErrorType.INVALID_IDENTIFIER, e.getMessage()));
            } catch (MissingKeyColumn e) {
                dead.add(deadLetter(d.original(), ErrorType.MISSING_KEY, e.getMessage()));
            }
        }
        Map<SqlIdentifier, OdsTable> tables = new HashMap<>();
        for (Map.Entry<SqlIdentifier, List<OdsColumn>> e : keys.entrySet()) {
            SqlIdentifier name = e.getKey();
            boolean exists = catalog.table(name).isPresent();
            List<OdsColumn> columns = options.addColumns() || !exists ? new ArrayList<>(wanted.get(name).values()) : e.getValue();
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
                dead.add(deadLetter(d.original(), ErrorType.UNSAFE_TYPE_CHANGE, e.getMessage()));
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
        if (options.extractXml() && event.op() != dev.cdc.common.event.Operation.DELETE) {
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
                        dead.add(deadLetter(d.original(), ErrorType.MALFORMED_XML, rule.column() + ": " + e.getMessage()));
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
            OdsTable parent = tables.get(options.mapping().stateTable(e.getKey()));
            if (parent == null) {
                continue;
            }
            if (!options.extractXml() || e.getValue().stream().allMatch(r -> ensuredTargets.contains(r.target()))) {
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

    // ------------------------------------------------------------------ helpers

    private static final class MissingKeyColumn extends Exception {
        MissingKeyColumn(String column) {
            super("key column " + column + " is not in the event's schema");
        }
    }

    private DeadLetter deadLetter(BrokerMessage original, ErrorType type, String message) {
        return new DeadLetter(original, type, message, options.consumerId(), clock.instant());
    }

    private static Set<String> keysOf(List<PreparedChange> changes, SqlIdentifier table) {
        Set<String> out = new HashSet<>();
        changes.stream().filter(c -> c.table().name().equals(table)).forEach(c -> out.add(c.key().get(0)));
        return out;
    }

    private static Set<String> first(Set<List<String>> keys) {
        Set<String> out = new HashSet<>();
        if (keys != null) {
            keys.forEach(k -> out.add(k.get(0)));
        }
        return out;
    }

    /**
     * Transient: the database is down or unreachable, out of resources, or a concurrency conflict (worth retrying as
     * is). Invalid: any other database error (a row it refuses). Fatal: anything else, a bug.
     */
    static FaultKind classify(Throwable e) {
        if (isTransient(e)) {
            return FaultKind.TRANSIENT;
        }
        return e instanceof SQLException ? FaultKind.INVALID : FaultKind.FATAL;
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                        || state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is likely gone; the pool discards it
        }
    }

    private static String summary(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }
}
