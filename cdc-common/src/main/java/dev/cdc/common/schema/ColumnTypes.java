package dev.cdc.common.schema;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The type each column keeps, for a sink without a database catalog (the REST target): the type a column's values
 * first arrived with. A later change that sends the column with another type (scenario S4: {@code "100"} where a
 * number was) has its values coerced to the kept type when nothing is lost, as the ODS does; otherwise
 * {@link UnsafeCoercionException}, which makes the change a dead letter. Not thread-safe: one per task, and every
 * change of a table must pass the same instance (or its state), or two tasks may keep different types.
 *
 * <p>"First" is the order changes are coerced in. Where changes of one table can arrive out of their publish order
 * (several queue readers), a caller holds the one case that order decides: {@link #learnsFromText} a column's type
 * (a typed value published earlier would have made the text coerced instead). {@link TypeHold} orders what it held.
 */
public final class ColumnTypes {

    private final Map<TableId, Map<String, ValueType>> kept = new HashMap<>();

    /** The change with its row images in the kept types; learns the types of columns not seen before. */
    public ChangeEvent coerce(ChangeEvent event) {
        Map<String, ValueType> columns = kept.computeIfAbsent(event.table(), t -> new HashMap<>());
        Map<String, ValueType> changed = null;
        for (ConnectSchema.Field field : event.valueSchema().fields()) {
            ValueType arriving = ValueType.of(field.schema());
            ValueType type = columns.putIfAbsent(field.name(), arriving);
            if (type != null && type != arriving && !type.holds(arriving)) {
                if (changed == null) {
                    changed = new HashMap<>();
                }
                changed.put(field.name(), type);
            }
        }
        if (changed == null) {
            return event;
        }
        String where = event.table().toString();
        return new ChangeEvent(event.valueSchema(), event.op(), coerce(event.before(), changed, where),
                coerce(event.after(), changed, where), event.source(), event.tsMs(), event.transaction(), event.key());
    }

    private static Map<String, Object> coerce(Map<String, Object> row, Map<String, ValueType> types, String where) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(row);
        types.forEach((column, type) -> {
            Object value = out.get(column);
            if (value != null && value != Unavailable.VALUE) {
                try {
                    out.put(column, type.coerce(value));
                } catch (UnsafeCoercionException e) {
                    throw new UnsafeCoercionException(value, type, where + "." + column);
                }
            }
        });
        return out;
    }

    /**
     * Whether coercing this change would make its table keep a column's type from text: a column with no kept type
     * yet that arrives as {@link ValueType#TEXT}. Only then does the order of changes decide a type (a number arriving
     * after text stays as it is; text arriving after a number is coerced), so only then must a caller whose changes
     * may arrive out of publish order wait for the earlier ones. Columns of other types are learnt without waiting.
     */
    public boolean learnsFromText(ChangeEvent event) {
        Map<String, ValueType> columns = kept.getOrDefault(event.table(), Map.of());
        for (ConnectSchema.Field field : event.valueSchema().fields()) {
            if (!columns.containsKey(field.name()) && ValueType.of(field.schema()) == ValueType.TEXT) {
                return true;
            }
        }
        return false;
    }

    /** How many columns of a table have a kept type: when it grows, an engine's state has new types to keep. */
    public int columns(TableId table) {
        Map<String, ValueType> columns = kept.get(table);
        return columns == null ? 0 : columns.size();
    }

    /** The types kept for a table's columns (a copy), for an engine's state. */
    public Map<String, ValueType> of(TableId table) {
        return Map.copyOf(kept.getOrDefault(table, Map.of()));
    }

    /** Takes back types from an engine's state; a column already kept keeps its type. */
    public void restore(TableId table, Map<String, ValueType> columns) {
        Map<String, ValueType> known = kept.computeIfAbsent(table, t -> new HashMap<>());
        columns.forEach(known::putIfAbsent);
    }
}
