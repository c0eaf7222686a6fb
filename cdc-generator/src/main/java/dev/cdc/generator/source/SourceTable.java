package dev.cdc.generator.source;

import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.generator.schema.Column;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.TableDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simulated Oracle table: its evolving columns (added, dropped, or written with another type), its rows by key,
 * and the pools the simulator draws from (live keys; keys no child references, which may be deleted).
 */
public final class SourceTable {

    static final long FIRST_KEY = 1001;

    private final TableDefinition definition;
    private final DecimalMode decimalMode;
    private final String serverName;
    private final List<Column> columns = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Set<String> dropped = new HashSet<>();
    private final Map<String, ConnectSchema> writtenAs = new HashMap<>();
    /** Rows by key - FIRST_KEY: keys are dense and ascending, and an array beats a HashMap of boxed keys here. */
    private final List<StoredRow> rows = new ArrayList<>();
    private final Set<Long> pinned = new HashSet<>();
    final KeyPool live = new KeyPool(FIRST_KEY);
    final KeyPool deletable = new KeyPool(FIRST_KEY);
    private ConnectSchema valueSchema;
    private long nextKey = FIRST_KEY;

    SourceTable(TableDefinition definition, DecimalMode decimalMode, String serverName) {
        this.definition = definition;
        this.decimalMode = decimalMode;
        this.serverName = serverName;
        definition.columns().forEach(this::addColumn);
    }

    public TableId id() {
        return definition.id();
    }

    public String keyColumn() {
        return definition.keyColumn();
    }

    /** Every column the table has ever had, in order of creation. */
    public List<Column> columns() {
        return Collections.unmodifiableList(columns);
    }

    public boolean hasColumn(String column) {
        return index.containsKey(column);
    }

    public boolean isDropped(String column) {
        return dropped.contains(column);
    }

    /** The schema of the row images as the connector writes them now. */
    public ConnectSchema valueSchema() {
        if (valueSchema == null) {
            ConnectSchema.Builder b = ConnectSchema.builder(SchemaType.STRUCT).optional()
                    .name(serverName + "." + id().schema() + "." + id().table() + ".Value");
            for (Column c : columns) {
                if (!dropped.contains(c.name())) {
                    b.field(c.name(), writtenAs.getOrDefault(c.name(), c.type().connectSchema(c.nullable(), decimalMode)));
                }
            }
            valueSchema = b.build();
        }
        return valueSchema;
    }

    // ------------------------------------------------------------ schema changes (ALTER TABLE)

    void addColumn(Column column) {
        if (index.containsKey(column.name())) {
            throw new IllegalStateException(id() + " already has column " + column.name());
        }
        index.put(column.name(), columns.size());
        columns.add(column);
        names.add(column.name());
        valueSchema = null;
    }

    void dropColumn(String column) {
        requireColumn(column);
        dropped.add(column);
        valueSchema = null;
    }

    /** From now on the column is written with {@code schema} (e.g. a number written as text). */
    void writeColumnAs(String column, ConnectSchema schema) {
        requireColumn(column);
        writtenAs.put(column, schema);
        valueSchema = null;
    }

    private void requireColumn(String column) {
        if (!index.containsKey(column)) {
            throw new IllegalArgumentException(id() + " has no column " + column);
        }
    }

    // ------------------------------------------------------------ rows

    long nextKey() {
        return nextKey++;
    }

    Object[] newValues() {
        return new Object[columns.size()];
    }

    int columnIndex(String column) {
        Integer i = index.get(column);
        if (i == null) {
            throw new IllegalArgumentException(id() + " has no column " + column);
        }
        return i;
    }

    /** A copy of a row's values, grown to the current column count, with dropped columns cleared. */
    Object[] copyForChange(long key) {
        Object[] copy = Arrays.copyOf(row(key).values, columns.size());
        for (String d : dropped) {
            copy[index.get(d)] = null;
        }
        return copy;
    }

    private StoredRow stored(long key) {
        long at = key - FIRST_KEY;
        return at < 0 || at >= rows.size() ? null : rows.get((int) at);
    }

    StoredRow row(long key) {
        StoredRow row = stored(key);
        if (row == null || row.deleted) {
            throw new IllegalStateException(id() + " has no live row " + key);
        }
        return row;
    }

    StoredRow rowOrNull(long key) {
        StoredRow row = stored(key);
        return row == null || row.deleted ? null : row;
    }

    Map<String, Object> view(Object[] values) {
        return new RowView(names, index, values);
    }

    Map<String, Object> key(long key) {
        Map<String, Object> map = new LinkedHashMap<>(2);
        map.put(keyColumn(), key);
        return map;
    }

    void insert(long key, Object[] values, Position position) {
        if (key != FIRST_KEY + rows.size()) {
            throw new IllegalStateException(id() + ": key " + key + " is not the next key " + (FIRST_KEY + rows.size()));
        }
        rows.add(new StoredRow(values, position));
        live.add(key);
        if (!pinned.contains(key)) {
            deletable.add(key);
        }
    }

    void update(long key, Object[] values, Position position) {
        StoredRow row = row(key);
        row.values = values;
        row.position = position;
    }

    void delete(long key, Position position) {
        StoredRow row = row(key);
        row.deleted = true;
        row.position = position;
        live.remove(key);
        deletable.remove(key);
    }

    void reference(long key) {
        StoredRow row = row(key);
        if (row.references++ == 0) {
            deletable.remove(key);
        }
    }

    void release(long key) {
        StoredRow row = row(key);
        if (--row.references == 0 && !pinned.contains(key)) {
            deletable.add(key);
        }
    }

    /** A scenario row: never deleted, its XML never replaced, so the scenario's effect is in the final truth. */
    void pin(long key) {
        pinned.add(key);
        deletable.remove(key);
    }

    boolean isPinned(long key) {
        return pinned.contains(key);
    }

    /** A live row by key, or null when it does not exist or was deleted. */
    public Map<String, Object> liveRow(long key) {
        StoredRow row = rowOrNull(key);
        return row == null ? null : view(row.values);
    }

    /** Every row ever written, by key, with its final state: the view of a deleted row is its last image. */
    public Map<Long, FinalRow> finalRows() {
        Map<Long, FinalRow> out = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            StoredRow r = rows.get(i);
            out.put(FIRST_KEY + i, new FinalRow(FIRST_KEY + i, r.deleted, r.position, view(r.values)));
        }
        return out;
    }

    /** A row's end state, as the truth records it. */
    public record FinalRow(long key, boolean deleted, Position position, Map<String, Object> values) {
    }
}
