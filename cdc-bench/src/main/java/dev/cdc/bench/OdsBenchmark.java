package dev.cdc.bench;

import dev.cdc.bench.report.HtmlReport;
import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.Admitted;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.OperationMix;
import dev.cdc.generator.Rate;
import dev.cdc.generator.output.MessageList;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.infra.DataDirectory;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.ods.schema.OdsCatalog;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@link OdsWriter} costs against the plainest way to do its core job, on embedded PostgreSQL, same events,
 * same run: a raw JDBC batched upsert (and, for comparison, COPY into a staging table and one merge) ({@code reWriteBatchedInserts}, position guard, 500 rows a batch) of the
 * already decoded rows, next to the writer applying the same decoded messages to the state tables only, then with XML extraction, then with the join recompute too. Each measurement starts from a fresh database;
 * rounds are interleaved and medians compared. The workload has the DESIGN shares with about half updates.
 */
public final class OdsBenchmark {

    /** What is measured. */
    public enum Mode { RAW_UPSERT, RAW_COPY_MERGE, WRITER_STATE, WRITER_XML, WRITER_FULL }

    public record Options(int events, int rounds, int batch, Path dataParent, Path out, PrintStream progress) {
    }

    /** @param decodeMsPer1000 decoding the broker messages (JSON to changes), once per event, best of three */
    public record Result(int events, Map<Mode, List<Double>> eventsPerSecond, double decodeMsPer1000, Path report) {

        public double median(Mode mode) {
            return Statistics.median(eventsPerSecond.get(mode).stream().mapToDouble(Double::doubleValue).toArray());
        }

        public double stateRatio() {
            return Statistics.ratio(median(Mode.WRITER_STATE), median(Mode.RAW_UPSERT));
        }

        /** Milliseconds one thousand events add to the apply by XML extraction, and by the join recompute. */
        public double xmlMsPer1000() {
            return 1_000_000 / median(Mode.WRITER_XML) - 1_000_000 / median(Mode.WRITER_STATE);
        }

        public double joinMsPer1000() {
            return 1_000_000 / median(Mode.WRITER_FULL) - 1_000_000 / median(Mode.WRITER_XML);
        }

        public boolean passed() {
            return stateRatio() >= 0.70;
        }

        public String table() {
            StringBuilder t = new StringBuilder();
            t.append(String.format(Locale.ROOT, "ODS apply, %,d events a measurement, medians of %d rounds (events/s):%n",
                    events, eventsPerSecond.get(Mode.RAW_UPSERT).size()));
            for (Mode mode : Mode.values()) {
                t.append(String.format(Locale.ROOT, "  %-14s %,10.0f   rounds %s%n", mode, median(mode),
                        eventsPerSecond.get(mode).stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()));
            }
            t.append(String.format(Locale.ROOT, "  raw COPY into staging + merge / raw batched upsert: %.2f%n",
                    Statistics.ratio(median(Mode.RAW_COPY_MERGE), median(Mode.RAW_UPSERT))));
            t.append(String.format(Locale.ROOT, "  writer (state tables) / raw upsert: %.2f (needs 0.70) %s%n", stateRatio(),
                    passed() ? "PASS" : "FAIL"));
            t.append(String.format(Locale.ROOT, "  per 1,000 events: decoding %.1f ms (on the engine's workers, not above),"
                    + " XML extraction %.1f ms, join recompute %.1f ms%n", decodeMsPer1000, xmlMsPer1000(), joinMsPer1000()));
            t.append("  report: ").append(report).append(System.lineSeparator());
            t.append("  charts: ").append(HtmlReport.besides(report)).append(System.lineSeparator());
            return t.toString();
        }
    }

    private static final TableMapping MAPPING = TableMapping.defaults();
    private static final Set<String> XML_COLUMNS = Set.of("SHIPPING_INFO", "ADDRESSES");

    private OdsBenchmark() {
    }

    public static Result run(Options options) throws Exception {
        List<BrokerMessage> messages = generate(options.events());
        // Decoding (the core's admission rule) is measured on its own; the writer's figures include it.
        List<ChangeEvent> decoded = new ArrayList<>(messages.size());
        long decodeNanos = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            decoded.clear();
            Admission admission = new Admission(AdmissionSettings.defaults());
            long t0 = System.nanoTime();
            for (BrokerMessage m : messages) {
                if (admission.admit(m) instanceof Admitted.Change c) {
                    decoded.add(c.event());
                }
            }
            decodeNanos = Math.min(decodeNanos, System.nanoTime() - t0);
        }
        List<XmlExtraction> xml = XmlExtractions.load(Configuration.load(
                Path.of(System.getProperty("cdc.home", ".")).resolve("configs/cdc.yaml"), Map.of()));
        Files.createDirectories(options.dataParent());
        Path dir = Files.createTempDirectory(options.dataParent(), "ods-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<Mode, List<Double>> results = new EnumMap<>(Mode.class);
        int database = 0;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"))) {
            for (int round = 0; round <= options.rounds(); round++) {
                for (Mode mode : Mode.values()) {
                    String name = "bench" + database++;
                    pg.ensureDatabase(name, "bench", "bench-pass");
                    try (OdsDatabase db = OdsDatabase.connect(pg.jdbcUrl(name), "bench", "bench-pass", 2)) {
                        db.migrate();
                        long start = System.nanoTime();
                        switch (mode) {
                            case RAW_UPSERT -> rawUpsert(db, decoded, options.batch());
                            case RAW_COPY_MERGE -> copyMerge(db, decoded, options.batch());
                            case WRITER_STATE -> write(db, messages, options.batch(), xml, false, null);
                            case WRITER_XML -> write(db, messages, options.batch(), xml, true, null);
                            case WRITER_FULL -> write(db, messages, options.batch(), xml, true, EnrichedOrderDefinition.SALES);
                        }
                        double perSecond = Statistics.rate(messages.size(), System.nanoTime() - start);
                        if (round > 0) { // round 0 warms the JIT and the server
                            results.computeIfAbsent(mode, m -> new ArrayList<>()).add(perSecond);
                        }
                        if (options.progress() != null) {
                            options.progress().printf(Locale.ROOT, "bench ods: %s %s %,.0f events/s%n",
                                    round == 0 ? "warm-up" : "round " + round, mode, perSecond);
                        }
                    }
                }
            }
        } finally {
            DataDirectory.delete(dir);
        }
        Path report = options.out() != null ? options.out()
                : options.dataParent().resolve("ods-" + Instant.now().toString().replace(':', '-') + ".json");
        Result result = new Result(messages.size(), results, decodeNanos / 1e6 / messages.size() * 1000, report);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "ods");
        json.put("events", messages.size());
        json.put("batch", options.batch());
        json.put("events_per_second", results);
        Map<String, Object> medians = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            medians.put(mode.name(), result.median(mode));
        }
        json.put("medians", medians);
        json.put("writer_state_over_raw", result.stateRatio());
        json.put("decode_ms_per_1000_events", result.decodeMsPer1000());
        json.put("xml_ms_per_1000_events", result.xmlMsPer1000());
        json.put("join_ms_per_1000_events", result.joinMsPer1000());
        json.put("passed", result.passed());
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, Json.write(json));
        OdsReportPage.of(result).writeBesides(report);
        return result;
    }

    /** The SALES workload with about half of the changes updates, after a snapshot, no scenarios. */
    static List<BrokerMessage> generate(int events) throws IOException {
        Map<TableId, OperationMix> mixes = new LinkedHashMap<>();
        mixes.put(SalesSchema.ORDERS, new OperationMix(45, 50, 5));
        mixes.put(SalesSchema.ORDER_ITEMS, new OperationMix(50, 45, 5));
        mixes.put(SalesSchema.CUSTOMERS, new OperationMix(20, 75, 5));
        mixes.put(SalesSchema.PRODUCTS, new OperationMix(10, 85, 5));
        mixes.put(SalesSchema.AUDIT_LOG, new OperationMix(100, 0, 0));
        GeneratorConfig config = GeneratorConfig.builder().seed(7).rate(Rate.MAX).events((long) events)
                .mixes(mixes).snapshotOrders(500).build();
        MessageList out = new MessageList();
        GeneratorRun.run(config, out, null, null);
        return out.messages();
    }

    private static void write(OdsDatabase db, List<BrokerMessage> messages, int batch, List<XmlExtraction> xml,
                              boolean extract, EnrichedOrderDefinition join) throws Exception {
        OdsWriter writer = new OdsWriter(db.dataSource(), new OdsWriter.Options("bench", TableMapping.defaults(), xml,
                join, true, dev.cdc.common.fault.RetrySettings.defaults(), extract, OdsWriter.Options.DEFAULT_LATENESS));
        long id = 0;
        for (int from = 0; from < messages.size(); from += batch) {
            writer.apply(id++, messages.subList(from, Math.min(messages.size(), from + batch)));
        }
    }

    /** The baseline: per batch and table, a JDBC batch of guarded upserts of the decoded rows, one commit. */
    private static void rawUpsert(OdsDatabase db, List<ChangeEvent> events, int batch) throws SQLException {
        OdsCatalog catalog = new OdsCatalog(db.dataSource());
        Map<SqlIdentifier, String> sql = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            for (int from = 0; from < events.size(); from += batch) {
                Map<SqlIdentifier, Map<Object, ChangeEvent>> byTable =
                        newestByTable(events.subList(from, Math.min(events.size(), from + batch)));
                for (Map.Entry<SqlIdentifier, Map<Object, ChangeEvent>> t : byTable.entrySet()) {
                    OdsTable table = catalog.table(t.getKey()).orElseThrow();
                    List<OdsColumn> columns = table.columns().values().stream().toList();
                    String statement = sql.computeIfAbsent(t.getKey(), k -> upsert(table, columns));
                    try (PreparedStatement ps = c.prepareStatement(statement)) {
                        for (ChangeEvent e : t.getValue().values()) {
                            Map<String, Object> byName = odsRow(e);
                            int i = 1;
                            for (OdsColumn column : columns) {
                                ps.setObject(i++, byName.get(column.name().name()));
                            }
                            ps.setLong(i++, e.position().scn());
                            ps.setLong(i++, e.position().sequence());
                            ps.setTimestamp(i++, Timestamp.from(Instant.ofEpochMilli(e.source().tsMs())));
                            ps.setString(i++, e.op().code());
                            ps.setBoolean(i, e.op() == Operation.DELETE);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            }
        }
    }

    /** The other way DESIGN names: COPY each batch into a temporary staging table, then one guarded merge. */
    private static void copyMerge(OdsDatabase db, List<ChangeEvent> events, int batch) throws Exception {
        OdsCatalog catalog = new OdsCatalog(db.dataSource());
        try (Connection c = db.dataSource().getConnection()) {
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            Set<SqlIdentifier> staged = new java.util.HashSet<>();
            for (int from = 0; from < events.size(); from += batch) {
                Map<SqlIdentifier, Map<Object, ChangeEvent>> byTable =
                        newestByTable(events.subList(from, Math.min(events.size(), from + batch)));
                for (Map.Entry<SqlIdentifier, Map<Object, ChangeEvent>> t : byTable.entrySet()) {
                    OdsTable table = catalog.table(t.getKey()).orElseThrow();
                    List<OdsColumn> columns = table.columns().values().stream().toList();
                    String stage = "\"stage_" + table.name().name() + "\"";
                    if (staged.add(table.name())) {
                        try (var s = c.createStatement()) {
                            s.execute("CREATE TEMP TABLE " + stage + " (LIKE " + table.name().quoted()
                                    + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                        }
                    }
                    StringBuilder csv = new StringBuilder();
                    for (ChangeEvent e : t.getValue().values()) {
                        Map<String, Object> byName = odsRow(e);
                        for (OdsColumn column : columns) {
                            Object v = byName.get(column.name().name());
                            if (v != null) {
                                String text = v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString();
                                csv.append('"').append(text.replace("\"", "\"\"")).append('"');
                            }
                            csv.append(',');
                        }
                        csv.append(e.position().scn()).append(',').append(e.position().sequence()).append(',')
                                .append(Instant.ofEpochMilli(e.source().tsMs())).append(',').append(e.op().code()).append(',')
                                .append(e.op() == Operation.DELETE).append('\n');
                    }
                    List<String> names = new ArrayList<>(columns.stream().map(col -> col.name().quoted()).toList());
                    names.addAll(List.of("\"_source_scn\"", "\"_source_seq\"", "\"_source_ts\"", "\"_op\"", "\"_deleted\""));
                    copy.copyIn("COPY " + stage + " (" + String.join(", ", names) + ") FROM STDIN (FORMAT csv)",
                            new java.io.StringReader(csv.toString()));
                    String upsert = upsert(table, columns);
                    String merge = upsert.substring(0, upsert.indexOf(" VALUES (")) + " SELECT " + String.join(", ", names)
                            + " FROM " + stage + upsert.substring(upsert.indexOf(" ON CONFLICT"));
                    try (var s = c.createStatement()) {
                        s.executeUpdate(merge);
                    }
                }
                c.commit();
            }
        }
    }

    /** Per ODS table, the newest change of each row (one statement can't write a row twice). */
    private static Map<SqlIdentifier, Map<Object, ChangeEvent>> newestByTable(List<ChangeEvent> batch) {
        Map<SqlIdentifier, Map<Object, ChangeEvent>> byTable = new LinkedHashMap<>();
        for (ChangeEvent e : batch) {
            Object key = e.key().values().iterator().next();
            byTable.computeIfAbsent(MAPPING.stateTable(e.table()), t -> new LinkedHashMap<>())
                    .merge(key, e, (a, b) -> b.position().compareTo(a.position()) > 0 ? b : a);
        }
        return byTable;
    }

    /** The row's values by ODS column name, without the XML columns the state tables don't hold. */
    private static Map<String, Object> odsRow(ChangeEvent e) {
        Map<String, Object> byName = new LinkedHashMap<>();
        e.row().forEach((k, v) -> {
            if (!XML_COLUMNS.contains(k)) {
                byName.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return byName;
    }

    private static String upsert(OdsTable table, List<OdsColumn> columns) {
        Function<OdsColumn, String> q = col -> col.name().quoted();
        List<String> names = columns.stream().map(q).toList();
        List<String> sets = new ArrayList<>();
        for (OdsColumn col : columns) {
            if (!table.key().contains(col.name())) {
                sets.add(q.apply(col) + " = EXCLUDED." + q.apply(col));
            }
        }
        for (String meta : List.of("_source_scn", "_source_seq", "_source_ts", "_op", "_deleted")) {
            sets.add("\"" + meta + "\" = EXCLUDED.\"" + meta + "\"");
        }
        String t = table.name().quoted();
        return "INSERT INTO " + t + " (" + String.join(", ", names) + ", \"_source_scn\", \"_source_seq\", \"_source_ts\", \"_op\", \"_deleted\")"
                + " VALUES (" + "?, ".repeat(names.size() + 4) + "?) ON CONFLICT ("
                + String.join(", ", table.key().stream().map(SqlIdentifier::quoted).toList()) + ") DO UPDATE SET "
                + String.join(", ", sets) + " WHERE (" + t + ".\"_source_scn\", " + t + ".\"_source_seq\") < (EXCLUDED.\"_source_scn\", EXCLUDED.\"_source_seq\")";
    }
}
