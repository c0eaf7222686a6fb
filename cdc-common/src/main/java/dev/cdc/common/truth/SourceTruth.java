package dev.cdc.common.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A truth directory read back: what the ODS (or the REST target) must hold at the end of a run. Values are in
 * their JSON form ({@code Long}, {@code BigDecimal}, {@code String}, {@code Boolean}, {@code Map}, {@code List}).
 */
public record SourceTruth(JsonNode manifest, Map<TableId, List<TruthRow>> tables,
                          Map<String, List<Map<String, Object>>> extracted, List<Map<String, Object>> enriched,
                          List<ExpectedDeadLetter> deadLetters) {

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
        return new SourceTruth(manifest, tables, extracted, lines(dir.resolve(TruthFiles.ENRICHED)), deadLetters);
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
