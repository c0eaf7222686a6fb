package dev.cdc.common.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cdc.common.alert.Alert;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.EventId;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A truth directory read back: what the ODS (or the REST target) must hold at the end of a run. Values are in
 * their JSON form ({@code Long}, {@code BigDecimal}, {@code String}, {@code Boolean}, {@code Map}, {@code List}).
 *
 * <p>The changes ({@code changes.jsonl}, millions of lines in a long run) are not loaded: {@link #changes()} streams
 * them and {@link #changeIds()} loads their ids when asked. Truths written before the changes and alerts were
 * recorded have neither file: {@link #hasChanges()} and {@link #hasAlerts()} say so, and a reader that needs them
 * (the REST target's check) refuses such a truth, while the others read it as before.
 *
 * @param alerts the alerts the configured rules raise on the changes, in the order they were raised; empty when the
 *               truth has none (see {@link #hasAlerts()})
 * @param dir where the truth was read from
 */
public record SourceTruth(JsonNode manifest, Map<TableId, List<TruthRow>> tables,
                          Map<String, List<Map<String, Object>>> extracted, List<Map<String, Object>> enriched,
                          List<ExpectedDeadLetter> deadLetters, List<Alert> alerts, Path dir) {

    public static SourceTruth read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(TruthFiles.MANIFEST);
        if (!Files.exists(manifestFile)) {
            throw new NoSuchFileException(manifestFile.toString(), null,
                    "no truth manifest (was the generator run with --truth, and did it finish?)");
        }
        JsonNode manifest = DebeziumJsonCodec.mapper().readTree(manifestFile.toFile());
        if (!TruthFiles.FORMAT.equals(manifest.path("format").asText())
                || manifest.path("version").asInt() != TruthFiles.FORMAT_VERSION) {
            throw new IOException(manifestFile + ": not a " + TruthFiles.FORMAT + " version " + TruthFiles.FORMAT_VERSION
                    + " manifest (found " + manifest.path("format").asText() + " " + manifest.path("version").asText() + ")");
        }
        Map<TableId, List<TruthRow>> tables = new LinkedHashMap<>();
        for (Iterator<String> it = manifest.path("tables").fieldNames(); it.hasNext(); ) {
            TableId table = TableId.parse(it.next());
            List<TruthRow> rows = new ArrayList<>();
            for (Map<String, Object> line : lines(TruthFiles.table(dir, table))) {
                rows.add(new TruthRow(map(line.get("key")), Boolean.TRUE.equals(line.get("deleted")),
                        new Position(((Number) line.get("scn")).longValue(), ((Number) line.get("sequence")).longValue()),
                        map(line.get("row"))));
            }
            tables.put(table, rows);
        }
        Map<String, List<Map<String, Object>>> extracted = new LinkedHashMap<>();
        for (Iterator<String> it = manifest.path("extracted").fieldNames(); it.hasNext(); ) {
            String target = it.next();
            extracted.put(target, lines(TruthFiles.extracted(dir, target)));
        }
        List<ExpectedDeadLetter> deadLetters = new ArrayList<>();
        for (Map<String, Object> line : lines(dir.resolve(TruthFiles.DEAD_LETTERS))) {
            deadLetters.add(new ExpectedDeadLetter((String) line.get("topic"), map(line.get("key")),
                    ExpectedDeadLetter.Reason.valueOf((String) line.get("reason"))));
        }
        List<Alert> alerts = new ArrayList<>();
        if (manifest.has("alerts")) {
            Path file = dir.resolve(TruthFiles.ALERTS);
            for (Map<String, Object> line : lines(file)) {
                try {
                    alerts.add(Alert.fromMap(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + (alerts.size() + 1) + ": " + e.getMessage(), e);
                }
            }
            long expected = manifest.path("alerts").path("count").asLong(-1);
            if (alerts.size() != expected) {
                throw new IOException(file + " holds " + alerts.size() + " alerts, the manifest says " + expected);
            }
        }
        return new SourceTruth(manifest, tables, extracted, lines(dir.resolve(TruthFiles.ENRICHED)), deadLetters,
                List.copyOf(alerts), dir);
    }

    /** Whether the truth records the changes published ({@code changes.jsonl}); older truths do not. */
    public boolean hasChanges() {
        return manifest.has("changes");
    }

    /** How many changes {@code changes.jsonl} holds; 0 when the truth has none (see {@link #hasChanges()}). */
    public long changeCount() {
        return manifest.path("changes").path("count").asLong(0);
    }

    /**
     * The changes, streamed from {@code changes.jsonl} in the order they were published; empty when the truth has
     * none. Close the stream (try-with-resources): it holds the file open. A line that can't be read ends the
     * stream with an {@link UncheckedIOException} naming it.
     */
    public Stream<ExpectedChange> changes() throws IOException {
        Path file = dir.resolve(TruthFiles.CHANGES);
        if (!hasChanges()) {
            return Stream.empty();
        }
        MappingIterator<Map<String, Object>> lines = DebeziumJsonCodec.mapper().readerFor(Map.class).readValues(file.toFile());
        Iterator<ExpectedChange> changes = new Iterator<>() {
            private long line;

            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public ExpectedChange next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                line++;
                try {
                    Map<String, Object> change = lines.next();
                    return new ExpectedChange(EventId.parse((String) change.get("id")),
                            Operation.fromCode((String) change.get("op")));
                } catch (RuntimeException e) {
                    throw new UncheckedIOException(new IOException(file + " line " + line + ": " + e.getMessage(), e));
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(changes, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        lines.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * The ids of every change ({@code SCHEMA.TABLE:scn:sequence}), loaded now: what a receiver that records event
     * ids must hold. Empty when the truth has none.
     *
     * @throws IOException when the file can't be read or does not hold as many distinct ids as the manifest counts
     */
    public Set<String> changeIds() throws IOException {
        Set<String> ids = new HashSet<>((int) Math.min(Integer.MAX_VALUE / 2, changeCount() * 4 / 3 + 16));
        try (Stream<ExpectedChange> changes = changes()) {
            changes.forEach(c -> ids.add(c.id().toString()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (ids.size() != changeCount()) {
            throw new IOException(dir.resolve(TruthFiles.CHANGES) + " holds " + ids.size() + " distinct change ids, the manifest counts "
                    + changeCount());
        }
        return ids;
    }

    /** Whether the truth records the alerts the pipeline must raise ({@code alerts.jsonl}); older truths do not. */
    public boolean hasAlerts() {
        return manifest.has("alerts");
    }

    /** The alert rules the truth's alerts were predicted with; none when the truth has no alerts. */
    public AlertRules alertRules() {
        return AlertRules.fromDescription(manifest.path("alerts").get("rules"));
    }

    private static List<Map<String, Object>> lines(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        ObjectReader reader = DebeziumJsonCodec.mapper().readerFor(Map.class);
        try (MappingIterator<Map<String, Object>> it = reader.readValues(file.toFile())) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
