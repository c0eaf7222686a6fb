package dev.cdc.common.truth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.cdc.common.alert.Alert;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.TableId;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a truth directory, file by file, streaming rows so a large run does not need them twice in memory.
 * Call {@link #manifest} last: its presence marks a complete truth. A producer that records the changes it
 * publishes opens the {@link EventLog} first and feeds it while it runs.
 */
public final class TruthWriter {

    private final Path dir;
    private final Map<String, Object> tables = new LinkedHashMap<>();
    private final Map<String, Object> extracted = new LinkedHashMap<>();
    private long enrichedCount = -1;
    private long deadLetterCount = -1;
    private EventLog events;

    public TruthWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve(TruthFiles.TABLES));
        Files.createDirectories(dir.resolve(TruthFiles.EXTRACTED));
        Files.deleteIfExists(dir.resolve(TruthFiles.MANIFEST));
    }

    /** One line per row key: {@code {"key":{...},"deleted":false,"scn":N,"sequence":N,"row":{...}}}. */
    public void table(TableId table, List<String> keyColumns, Iterable<TruthRow> rows) throws IOException {
        table(table, keyColumns, List.of(), rows);
    }

    /**
     * As {@link #table(TableId, List, Iterable)}, naming the XML columns: the ODS state table does not hold them
     * (they are extracted), so the verifier skips them.
     */
    public void table(TableId table, List<String> keyColumns, List<String> xmlColumns, Iterable<TruthRow> rows)
            throws IOException {
        long live = 0;
        long deleted = 0;
        try (JsonGenerator gen = open(TruthFiles.table(dir, table))) {
            for (TruthRow r : rows) {
                gen.writeStartObject();
                gen.writeFieldName("key");
                TruthJson.write(r.key(), gen);
                gen.writeBooleanField("deleted", r.deleted());
                gen.writeNumberField("scn", r.position().scn());
                gen.writeNumberField("sequence", r.position().sequence());
                gen.writeFieldName("row");
                TruthJson.write(r.deleted() ? null : r.row(), gen);
                gen.writeEndObject();
                if (r.deleted()) {
                    deleted++;
                } else {
                    live++;
                }
            }
        }
        tables.put(table.toString(), Map.of("key", keyColumns, "xml_columns", xmlColumns, "rows", live, "deleted", deleted));
    }

    /** One line per extracted row, as the row object of the target table. */
    public void extracted(String targetTable, List<String> keyColumns, Iterable<Map<String, Object>> rows) throws IOException {
        extracted.put(targetTable, Map.of("key", keyColumns, "rows", writeRows(TruthFiles.extracted(dir, targetTable), rows)));
    }

    /** One line per enriched order (see {@link dev.cdc.common.join.EnrichedOrderDefinition}). */
    public void enriched(Iterable<Map<String, Object>> rows) throws IOException {
        enrichedCount = writeRows(dir.resolve(TruthFiles.ENRICHED), rows);
    }

    public void deadLetters(Iterable<ExpectedDeadLetter> letters) throws IOException {
        long n = 0;
        try (JsonGenerator gen = open(dir.resolve(TruthFiles.DEAD_LETTERS))) {
            for (ExpectedDeadLetter letter : letters) {
                gen.writeStartObject();
                gen.writeStringField("topic", letter.topic());
                gen.writeFieldName("key");
                TruthJson.write(letter.key(), gen);
                gen.writeStringField("reason", letter.reason().name());
                gen.writeEndObject();
                n++;
            }
        }
        deadLetterCount = n;
    }

    /**
     * Opens {@code changes.jsonl} and {@code alerts.jsonl}, to be fed with {@link EventLog#published} while the
     * run goes on. {@link #manifest} closes it and records its counts and {@code rules}.
     */
    public EventLog openEventLog(AlertRules rules) throws IOException {
        if (events != null) {
            throw new IllegalStateException("the event log of " + dir + " is already open");
        }
        events = new EventLog(dir, rules);
        return events;
    }

    /** Writes the manifest last; {@code producer} says what made this truth (generator flags, seed). */
    public void manifest(Map<String, Object> producer) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", TruthFiles.FORMAT);
        manifest.put("version", TruthFiles.FORMAT_VERSION);
        manifest.put("producer", producer);
        manifest.put("tables", tables);
        manifest.put("extracted", extracted);
        manifest.put("enriched", Map.of("table", "cdc_orders_enriched", "key", List.of("order_id"), "rows", enrichedCount));
        manifest.put("dead_letters", deadLetterCount);
        if (events != null) {
            events.close();
            manifest.put("changes", Map.of("count", events.changes));
            Map<String, Object> alerts = new LinkedHashMap<>();
            alerts.put("count", events.alerts);
            alerts.put("rules", events.rules.describe());
            manifest.put("alerts", alerts);
        }
        Path tmp = dir.resolve(TruthFiles.MANIFEST + ".tmp");
        DebeziumJsonCodec.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), manifest);
        Files.move(tmp, dir.resolve(TruthFiles.MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static long writeRows(Path file, Iterable<Map<String, Object>> rows) throws IOException {
        long n = 0;
        try (JsonGenerator gen = open(file)) {
            for (Map<String, Object> row : rows) {
                TruthJson.write(row, gen);
                n++;
            }
        }
        return n;
    }

    /**
     * The changes a producer published, streamed to {@code changes.jsonl} one line each, and the alerts the rules
     * raise on them, to {@code alerts.jsonl}. The caller passes each valid change once: not a body that is not an
     * envelope (a dead letter, no change), not a deliberate re-send. Lines go through a 64 KB buffer: a line is
     * about 50 bytes against a few hundred to a few thousand for the message itself, so the log costs the producer
     * little. Not thread-safe.
     */
    public static final class EventLog implements Closeable {

        private final AlertRules rules;
        private final JsonGenerator changesOut;
        private final JsonGenerator alertsOut;
        private long changes;
        private long alerts;
        private boolean closed;

        private EventLog(Path dir, AlertRules rules) throws IOException {
            this.rules = rules;
            this.changesOut = open(dir.resolve(TruthFiles.CHANGES));
            JsonGenerator a;
            try {
                a = open(dir.resolve(TruthFiles.ALERTS));
            } catch (IOException e) {
                changesOut.close();
                throw e;
            }
            this.alertsOut = a;
        }

        /** Records one published change and the alerts the rules raise on it. */
        public void published(ChangeEvent event) throws IOException {
            if (closed) {
                throw new IllegalStateException("the event log is closed");
            }
            changesOut.writeStartObject();
            changesOut.writeStringField("id", event.eventId().toString());
            changesOut.writeStringField("table", event.table().toString());
            changesOut.writeStringField("op", event.op().code());
            changesOut.writeEndObject();
            changes++;
            for (Alert alert : rules.evaluate(event)) {
                alert.write(alertsOut);
                alerts++;
            }
        }

        /** Changes recorded so far. */
        public long changes() {
            return changes;
        }

        /** Alerts recorded so far. */
        public long alerts() {
            return alerts;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                changesOut.close();
            } finally {
                alertsOut.close();
            }
        }
    }

    private static JsonGenerator open(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8);
        gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        return gen;
    }
}
