package dev.cdc.ods.schema;

import dev.cdc.common.event.TableId;
import java.util.Locale;
import java.util.Map;

/**
 * Which ODS table holds a source table's rows: configured names ({@code ods.tables.SALES.ORDERS: cdc_orders}),
 * else the default rule {@code cdc_<table>} in lower case, so a user's own tables need no code changes.
 */
public final class TableMapping {

    private final Map<TableId, SqlIdentifier> configured;

    public TableMapping(Map<TableId, SqlIdentifier> configured) {
        this.configured = Map.copyOf(configured);
    }

    public static TableMapping defaults() {
        return new TableMapping(Map.of());
    }

    public SqlIdentifier stateTable(TableId source) {
        SqlIdentifier name = configured.get(source);
        return name != null ? name : new SqlIdentifier("cdc_" + source.table().toLowerCase(Locale.ROOT));
    }
}
