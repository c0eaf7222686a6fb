package dev.cdc.common.truth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.TableId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a truth directory, file by file, streaming rows so a large run does not need them twice in memory.
 * Call {@link #manifest} last: its presence marks a complete truth.
 */
public final class TruthWriter {

    private final Path dir;
    private final Map<String, Object> tables = new LinkedHashMap<>();
    private final Map<String, Object> extracted = new LinkedHashMap<>();
    private long enrichedCount = -1;
    private long deadLetterCount = -1;

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

    private static JsonGenerator open(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8);
        gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        return gen;
    }
}
