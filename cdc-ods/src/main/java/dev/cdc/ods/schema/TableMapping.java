package dev.cdc.ods.schema;

import dev.cdc.common.event.TableId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which ODS table holds a source table's rows: a configured name ({@code ods.tables.SALES.ORDERS.name: cdc_orders}),
 * else {@code cdc_<table>} for a table of the home schema ({@code ods.home-schema}, SALES by default) and
 * {@code cdc_<schema>_<table>} for any other schema, all in lower case, so a user's own tables need no code changes
 * and DEBEZIUM.CUSTOMERS never lands in SALES.CUSTOMERS's table. Two configured sources with one name are refused
 * here; a clash the rule can still make (SALES.A_B and A.B both give {@code cdc_a_b}) is refused by the writer on the
 * first change, from what {@code cdc_source_tables} says the table holds.
 */
public final class TableMapping {

    public static final String DEFAULT_HOME_SCHEMA = "SALES";

    private final Map<TableId, SqlIdentifier> configured;
    private final String homeSchema;

    /**
     * @throws IllegalArgumentException when two source tables are configured into one ODS table
     */
    public TableMapping(Map<TableId, SqlIdentifier> configured, String homeSchema) {
        this.configured = Map.copyOf(configured);
        this.homeSchema = Objects.requireNonNull(homeSchema, "homeSchema");
        Map<SqlIdentifier, TableId> owners = new HashMap<>();
        configured.forEach((source, name) -> {
            TableId other = owners.put(name, source);
            if (other != null) {
                throw new IllegalArgumentException("ODS table " + name + " is configured for both " + other + " and "
                        + source + "; one ODS table holds one source table");
            }
        });
    }

    public TableMapping(Map<TableId, SqlIdentifier> configured) {
        this(configured, DEFAULT_HOME_SCHEMA);
    }

    public static TableMapping defaults() {
        return new TableMapping(Map.of());
    }

    public SqlIdentifier stateTable(TableId source) {
        SqlIdentifier name = configured.get(source);
        if (name != null) {
            return name;
        }
        String base = source.schema().equals(homeSchema) ? source.table() : source.schema() + "_" + source.table();
        return new SqlIdentifier("cdc_" + base.toLowerCase(Locale.ROOT));
    }

    /** The configured source tables, for checks at start. */
    public List<TableId> configuredSources() {
        return List.copyOf(configured.keySet());
    }
}
