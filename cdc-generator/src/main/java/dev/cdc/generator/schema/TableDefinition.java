package dev.cdc.generator.schema;

import dev.cdc.common.event.TableId;
import java.util.List;

/** A source table as created: its columns in order and its single-column primary key. */
public record TableDefinition(TableId id, String keyColumn, List<Column> columns) {

    public TableDefinition {
        columns = List.copyOf(columns);
        if (columns.stream().noneMatch(c -> c.name().equals(keyColumn))) {
            throw new IllegalArgumentException(id + " has no key column " + keyColumn);
        }
    }
}
