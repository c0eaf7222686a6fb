package dev.cdc.ods.apply;

import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.Admitted;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.TableId;
import dev.cdc.common.fault.BatchBisection;
import dev.cdc.common.fault.RetrySettings;
import dev.cdc.common.fault.TransientRetry;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.ods.dlq.DeadLetterStore;
import dev.cdc.ods.schema.OdsCatalog;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.SqlIdentifier.InvalidIdentifierException;
import dev.cdc.ods.schema.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Applies broker messages to the ODS in three steps, each one transaction, so many writers can share the work (Spark's
 * executors, each on its own slice of a batch):
 * <ol>
 *   <li>{@link #applyChanges}: a slice's state rows (one statement per table, guarded by the position so arrival
 *   order and replays do not matter), the rows extracted from XML columns, truncates, schema-change records, dead
 *   letters, and the orders whose enriched row the writes affect, queued in {@code cdc_pending_orders};</li>
 *   <li>{@link #recomputeOrders}: a slice of the queued orders (by key hash) recomputed, with their revenue windows;</li>
 *   <li>{@link #finishBatch}: the windows the watermark passed closed, and the batch recorded for operators.</li>
 * </ol>
 * {@link #apply} runs the three for one batch in one process. A batch that fails part way is applied again whole: the
 * position guard makes the replay of written rows change nothing, and queued orders wait in the table.
 *
 * <p>Bad data and transient faults are kept apart. A message that is bad in itself (unreadable, a value that can't
 * be coerced, a row the database refuses) becomes a dead letter and the rest lands; a row the database refuses is
 * found by splitting the slice under savepoints. A database that is down or unreachable is retried with exponential
 * backoff; if it stays away, {@link OdsUnavailableException} tells the caller to acknowledge nothing. Not
 * thread-safe: one writer per thread; writers in many threads and processes may run at once.
 */
public final class OdsWriter {

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
    private final ChangePlanner planner;
    private final ExtractedDocuments documents;
    private final EnrichedOrders enriched;
    private final RevenueWindows windows;
    private final TransientRetry retry;
    private final Clock clock;

    public OdsWriter(DataSource dataSource, Options options) {
        this(dataSource, options, Clock.systemUTC());
    }

    OdsWriter(DataSource dataSource, Options options, Clock clock) {
        this.dataSource = dataSource;
        this.options = options;
        this.clock = clock;
        this.catalog = new OdsCatalog(dataSource);
        Map<TableId, List<XmlExtraction>> extractionsBySource = options.extractions().stream()
                .collect(Collectors.groupingBy(XmlExtraction::source, LinkedHashMap::new, Collectors.toList()));
        this.planner = new ChangePlanner(dataSource, options.mapping(), options.addColumns(), options.extractXml(), catalog,
                sourceTables, extractionsBySource, this::deadLetter);
        this.documents = new ExtractedDocuments(options.extractXml() ? extractionsBySource : Map.of());
        this.windows = new RevenueWindows(options.windowLateness());
        this.enriched = options.join() == null ? null
                : new EnrichedOrders(options.join(), options.mapping(), catalog, windows);
        this.retry = new TransientRetry("ODS", options.retry(), OdsFaults::classify)
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
     * Applies one batch in this process: its changes, then every queued order, then the batch's end.
     *
     * @param batchId the batch's identity for this consumer (Spark's batch id, or the highest broker position),
     *     recorded for operators; negative for none (a replay of dead letters)
     * @throws OdsUnavailableException when the database stays unreachable: acknowledge nothing
     */
    public BatchResult apply(long batchId, List<BrokerMessage> messages) throws OdsUnavailableException {
        long started = System.nanoTime();
        AppliedChanges changes = applyChanges(messages);
        int recomputed = recomputeOrders(0, 1);
        finishBatch(batchId, changes.events(), changes.newestCommitMs());
        return new BatchResult(batchId, changes.events(), changes.written(), changes.stale(), changes.deadLetters(),
                recomputed, Duration.ofNanos(System.nanoTime() - started), changes.skipped(), changes.changeTimes());
    }

    /**
     * Step 1: applies a slice of a batch's messages in one transaction and queues the orders they affect.
     *
     * @throws OdsUnavailableException when the database stays unreachable: acknowledge nothing
     */
    public AppliedChanges applyChanges(List<BrokerMessage> messages) throws OdsUnavailableException {
        return retried("applying " + messages.size() + " messages", () -> {
            try {
                return applyOnce(admit(messages));
            } catch (OdsLookupFailed e) {
                throw (SQLException) e.getCause();
            }
        });
    }

    /**
     * Step 2: recomputes the queued orders of one slice ({@code slice} of {@code slices}, by order key hash) in one
     * transaction. Returns enriched rows written.
     */
    public int recomputeOrders(int slice, int slices) throws OdsUnavailableException {
        if (enriched == null) {
            return 0;
        }
        return retried("recomputing orders", () -> {
            try (Connection c = dataSource.getConnection()) {
                try {
                    int n = enriched.recompute(c, PendingOrders.claim(c, slice, slices));
                    c.commit();
                    return n;
                } catch (SQLException | RuntimeException e) {
                    OdsFaults.rollbackQuietly(c, e);
                    throw e;
                }
            }
        });
    }

    /** Step 3: moves the revenue watermark to the batch's newest commit time and records the batch for operators. */
    public void finishBatch(long batchId, int events, long newestCommitMs) throws OdsUnavailableException {
        retried("finishing batch " + batchId, () -> {
            try (Connection c = dataSource.getConnection()) {
                try {
                    if (enriched != null) {
                        windows.close(c, newestCommitMs);
                    }
                    if (batchId >= 0) {
                        AppliedBatches.record(c, options.consumerId(), batchId, events);
                    }
                    c.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    OdsFaults.rollbackQuietly(c, e);
                    throw e;
                }
            }
        });
    }

    /** Orders queued for a recompute and not yet claimed (for tests and operators). */
    public long pendingOrders() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long n = PendingOrders.count(c);
            c.commit();
            return n;
        }
    }

    private <T> T retried(String what, TransientRetry.Work<T> step) throws OdsUnavailableException {
        try {
            return retry.call(step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OdsUnavailableException("stopped while " + what + " waited for the ODS", e);
        } catch (OdsUnavailableException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + OdsFaults.summary(e), e);
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

    private AppliedChanges applyOnce(Admissions batch) throws SQLException {
        try {
            return applyOnce(batch, false);
        } catch (SQLException e) {
            if (OdsFaults.isTransient(e)) {
                throw e;
            }
            // a row the database refuses: again, isolating it under savepoints so the rest lands
            return applyOnce(batch, true);
        }
    }

    private AppliedChanges applyOnce(Admissions batch, boolean isolate) throws SQLException {
        List<DeadLetter> dead = new ArrayList<>(batch.rejected());
        List<PreparedChange> prepared = planner.prepare(batch.changes(), dead);
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
                if (enriched != null) {
                    enriched.queueOrdersOfItems(c, keysOf(changes, enriched.itemsTable())); // the order an item leaves
                }
                Map<SqlIdentifier, Set<List<String>>> written = new HashMap<>();
                if (isolate) {
                    applyIsolating(c, changes, written, dead);
                } else {
                    written.putAll(write(c, changes)); // no savepoints while nothing has failed: fewer round trips
                }
                for (Admitted.Truncate truncate : batch.truncates()) {
                    truncate(c, truncate, written, dead);
                }
                documents.write(c, prepared);
                recordDdl(c, batch.ddl());
                if (enriched != null) {
                    Map<SqlIdentifier, Set<String>> firstKeys = new HashMap<>();
                    written.forEach((table, keys) -> firstKeys.put(table, first(keys)));
                    enriched.queueAffected(c, firstKeys);
                }
                DeadLetterStore.insert(c, dead);
                c.commit();
                sourceTables.committed();
                int writtenRows = written.values().stream().mapToInt(Set::size).sum();
                // the latency of what took effect: a change the guard refused (a late re-send, an older change after
                // a newer one) is counted as stale, not as a change that took minutes to land
                // (changes of a row the batch wrote count, older ones of it included: they took effect through it)
                java.util.function.Predicate<PreparedChange> tookEffect =
                        ch -> written.getOrDefault(ch.table().name(), Set.of()).contains(ch.key());
                long[] changeTimes = prepared.stream()
                        .filter(ch -> ch.event().op() != dev.cdc.common.event.Operation.READ)
                        .filter(tookEffect).mapToLong(ch -> ch.event().source().tsMs()).toArray();
                long newestCommit = prepared.stream().mapToLong(p -> p.event().source().tsMs()).max().orElse(0);
                int stale = (int) prepared.stream().filter(tookEffect.negate()).count()
                        - (int) dead.stream().filter(d -> d.errorType() == ErrorType.REJECTED_BY_DATABASE).count();
                Map<String, Integer> byTable = new HashMap<>();
                written.forEach((table, keys) -> byTable.put(table.name(), keys.size()));
                return new AppliedChanges(batch.events(), writtenRows, Math.max(0, stale), dead,
                        batch.skipped() + batch.ddl().size(), changeTimes, newestCommit, byTable);
            } catch (SQLException | RuntimeException e) {
                OdsFaults.rollbackQuietly(c, e);
                sourceTables.rolledBack();
                throw e;
            }
        }
    }

    /**
     * A truncate: every row of the table written before its position becomes a tombstone at that position (rows of
     * later changes, in this batch or before, stay), their extracted rows go, and changes older than it that arrive
     * later are stale. It locks the table against writers at once (other slices of the batch, other consumers): those
     * under way finish first and are truncated too if older, those after it see its position in the upsert's guard.
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
        Optional<OdsTable> table = catalog.table(name);
        if (table.isPresent()) {
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE " + name.quoted() + " IN SHARE ROW EXCLUSIVE MODE")) {
                lock.execute();
            }
        }
        sourceTables.truncated(c, name, truncate.position());
        if (table.isEmpty()) {
            return; // nothing landed yet; the watermark keeps older changes out
        }
        Set<List<String>> keys = StateUpsert.truncate(c, table.get(), truncate.position(), truncate.source().tsMs());
        written.computeIfAbsent(name, n -> new HashSet<>()).addAll(keys);
        documents.truncated(c, truncate.table(), table.get(), first(keys), truncate.position());
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
                    if (!OdsFaults.isTransient(e)) {
                        c.rollback(savepoint); // the transaction goes on without this part
                    }
                    throw e;
                }
            }, OdsFaults::classify);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        outcome.accepted().forEach(here -> here.forEach((table, keys) ->
                written.computeIfAbsent(table, t -> new HashSet<>()).addAll(keys)));
        outcome.refused().forEach(r -> dead.add(deadLetter(r.record().original(), ErrorType.REJECTED_BY_DATABASE,
                OdsFaults.summary(r.reason()))));
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

    /** Transient, invalid or fatal, as the writer's retry sees it (kept here for the writer's tests). */
    static dev.cdc.common.fault.FaultKind classify(Throwable e) {
        return OdsFaults.classify(e);
    }
}
