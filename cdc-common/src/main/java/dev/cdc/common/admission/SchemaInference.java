package dev.cdc.common.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Row schemas for events that carry none ({@code value.converter.schemas.enable=false}). A column takes the type
 * the table's last event with a schema gave it; a column never seen with one is typed once from its first non-null
 * value (an integer as int64, any other number as double, text, boolean, an object as a struct of its fields) and
 * keeps that type: the same column is never guessed differently twice by one consumer. Not thread-safe.
 */
final class SchemaInference {

    private static final int MAX_TABLES = 10_000;

    private final Map<TableId, ConnectSchema> known = new HashMap<>();
    private final Map<TableId, Map<String, ConnectSchema>> inferred = new HashMap<>();

    /** Remembers the row schema an event of {@code table} carried. */
    void learn(TableId table, ConnectSchema rowSchema) {
        if (known.size() >= MAX_TABLES) {
            known.clear(); // a bound, not an expected case
        }
        known.put(table, rowSchema);
    }

    /** The row schema of a schemaless event of {@code table}, from its images' columns. */
    ConnectSchema rowSchema(TableId table, JsonNode before, JsonNode after) {
        Map<String, JsonNode> columns = new LinkedHashMap<>();
        collect(before, columns);
        collect(after, columns);
        ConnectSchema fromSchema = known.get(table);
        Map<String, ConnectSchema> guessed = inferred.computeIfAbsent(table, t -> new HashMap<>());
        ConnectSchema.Builder row = ConnectSchema.builder(SchemaType.STRUCT).optional()
                .name("inferred." + table + ".Value");
        for (Map.Entry<String, JsonNode> column : columns.entrySet()) {
            ConnectSchema type = fromSchema == null ? null
                    : fromSchema.field(column.getKey()).map(ConnectSchema.Field::schema).orElse(null);
            if (type == null) {
                type = guessed.get(column.getKey());
            }
            if (type == null) {
                type = infer(column.getValue());
                if (type != null) {
                    guessed.put(column.getKey(), type);
                } else {
                    type = ConnectSchema.of(SchemaType.STRING, true); // only nulls so far: not remembered
                }
            }
            row.field(column.getKey(), type);
        }
        return row.build();
    }

    /** Columns of both images; a value seen non-null wins over a null one. */
    private static void collect(JsonNode image, Map<String, JsonNode> columns) {
        if (image == null || !image.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = image.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode seen = columns.get(e.getKey());
            if (seen == null || seen.isNull()) {
                columns.put(e.getKey(), e.getValue());
            }
        }
    }

    private static ConnectSchema infer(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return ConnectSchema.of(SchemaType.INT64, true);
        }
        if (value.isNumber()) {
            return ConnectSchema.of(SchemaType.FLOAT64, true);
        }
        if (value.isBoolean()) {
            return ConnectSchema.of(SchemaType.BOOLEAN, true);
        }
        if (value.isObject()) {
            ConnectSchema.Builder struct = ConnectSchema.builder(SchemaType.STRUCT).optional();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ConnectSchema field = infer(e.getValue());
                struct.field(e.getKey(), field == null ? ConnectSchema.of(SchemaType.STRING, true) : field);
            }
            return struct.build();
        }
        if (value.isArray()) {
            ConnectSchema element = null;
            for (JsonNode item : value) {
                element = element != null ? element : infer(item);
            }
            return ConnectSchema.builder(SchemaType.ARRAY).optional()
                    .valueSchema(element == null ? ConnectSchema.of(SchemaType.STRING, true) : element).build();
        }
        return ConnectSchema.of(SchemaType.STRING, true);
    }
}
