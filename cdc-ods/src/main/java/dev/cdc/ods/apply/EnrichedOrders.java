package dev.cdc.ods.apply;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.ods.schema.OdsCatalog;
import dev.cdc.ods.schema.OdsColumn;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@code cdc_orders_enriched} and {@code cdc_order_revenue_5m} equal to the join of the state tables, by
 * recomputing exactly the orders a batch touched: the order itself, its items (also the order an item left), its
 * customer, or a product one of its items references. The join itself is {@link EnrichedOrderDefinition}, the one
 * definition the Flink job and the truth use too; this class only loads its inputs and stores its output.
 */
final class EnrichedOrders {

    private static final String WINDOW = "5 minutes";

    private final EnrichedOrderDefinition definition;
    private final SqlIdentifier orders;
    private final SqlIdentifier customers;
    private final SqlIdentifier items;
    private final SqlIdentifier products;
    private final SqlIdentifier orderKey;
    private final SqlIdentifier customerKey;
    private final SqlIdentifier itemKey;
    private final SqlIdentifier productKey;

    private final OdsCatalog catalog;

    private final java.time.Duration lateness;

    EnrichedOrders(EnrichedOrderDefinition definition, TableMapping mapping, OdsCatalog catalog,
                   java.time.Duration lateness) {
        this.definition = definition;
        this.lateness = lateness;
        this.catalog = catalog;
        this.orders = mapping.stateTable(definition.orders());
        this.customers = mapping.stateTable(definition.customers());
        this.items = mapping.stateTable(definition.items());
        this.products = mapping.stateTable(definition.products());
        this.orderKey = SqlIdentifier.of(definition.orderKey());
        this.customerKey = SqlIdentifier.of(definition.customerKey());
        this.itemKey = SqlIdentifier.of(definition.itemKey());
        this.productKey = SqlIdentifier.of(definition.productKey());
    }

    SqlIdentifier ordersTable() {
        return orders;
    }

    SqlIdentifier itemsTable() {
        return items;
    }

    SqlIdentifier customersTable() {
        return customers;
    }

    SqlIdentifier productsTable() {
        return products;
    }

    /** The orders the given items belong to now (call before writing items, to catch an item that moves). */
    Set<String> ordersOfItems(Connection c, Collection<String> itemKeys) throws SQLException {
        return column(c, "SELECT " + orderKey.quoted() + "::text FROM " + items.quoted() + " WHERE "
                + anyOf(items, itemKey), itemKeys);
    }

    /** The orders whose enriched row depends on the written rows of the four input tables. */
    Set<String> affected(Connection c, Set<String> writtenOrders, Set<String> writtenItems,
                         Set<String> writtenCustomers, Set<String> writtenProducts) throws SQLException {
        Set<String> out = new LinkedHashSet<>(writtenOrders);
        out.addAll(ordersOfItems(c, writtenItems));
        out.addAll(column(c, "SELECT " + orderKey.quoted() + "::text FROM " + orders.quoted() + " WHERE "
                + anyOf(orders, customerKey) + " AND NOT \"_deleted\"", writtenCustomers));
        out.addAll(column(c, "SELECT DISTINCT " + orderKey.quoted() + "::text FROM " + items.quoted() + " WHERE "
                + anyOf(items, productKey) + " AND NOT \"_deleted\"", writtenProducts));
        out.remove(null);
        return out;
    }

    /**
     * Recomputes the enriched rows of these orders and the revenue windows they fall in; returns rows written.
     *
     * @param newestCommitMs the newest source commit time of the batch (epoch ms), which moves the watermark
     */
    int recompute(Connection c, Set<String> orderKeys, long newestCommitMs) throws SQLException {
        if (orderKeys.isEmpty()) {
            closeWindows(c, newestCommitMs); // time moves on even when no order changed
            return 0;
        }
        Set<String> windows = windowsOf(c, orderKeys); // where the orders were: a window may lose one
        Map<String, Map<String, Object>> liveOrders = rows(c, orders, orderKey, orderKeys);
        Set<String> customerKeys = new LinkedHashSet<>();
        liveOrders.values().forEach(o -> customerKeys.add(text(o.get(definition.customerKey()))));
        Map<String, Map<String, Object>> liveCustomers = rows(c, customers, customerKey, customerKeys);
        Map<String, List<Map<String, Object>>> itemsByOrder = new HashMap<>();
        Set<String> productKeys = new LinkedHashSet<>();
        for (Map<String, Object> item : rows(c, items, orderKey, liveOrders.keySet()).values()) {
            itemsByOrder.computeIfAbsent(text(item.get(definition.orderKey())), k -> new ArrayList<>()).add(item);
            productKeys.add(text(item.get(definition.productKey())));
        }
        Map<String, Map<String, Object>> liveProducts = rows(c, products, productKey, productKeys);

        addToOpenWindows(c, orderKeys, -1); // the orders' old rows leave their windows' totals
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM cdc_orders_enriched WHERE order_id = ANY(?::bigint[])")) {
            delete.setArray(1, c.createArrayOf("text", orderKeys.toArray()));
            delete.executeUpdate();
        }
        int written = 0;
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO cdc_orders_enriched (order_id, customer_id, customer_tier, created_at, item_count,
                                                 items_total, enriched)
                VALUES (?::bigint, ?::bigint, ?, ?::timestamp, ?, ?, ?::jsonb)""")) {
            for (Map.Entry<String, Map<String, Object>> order : liveOrders.entrySet()) {
                Map<String, Object> customer = liveCustomers.get(text(order.getValue().get(definition.customerKey())));
                Map<String, Object> enriched = definition.enrich(order.getValue(), customer,
                        itemsByOrder.getOrDefault(order.getKey(), List.of()), key -> liveProducts.get(text(key)));
                insert.setString(1, order.getKey());
                insert.setString(2, text(order.getValue().get(definition.customerKey())));
                insert.setString(3, (String) enriched.get("customer_tier"));
                insert.setString(4, SqlText.of(enriched.get("created_at")));
                insert.setLong(5, (Long) enriched.get("item_count"));
                insert.setBigDecimal(6, (BigDecimal) enriched.get("items_total"));
                insert.setString(7, SqlText.json(enriched));
                insert.addBatch();
                written++;
            }
            insert.executeBatch();
        }
        addToOpenWindows(c, orderKeys, +1); // and their new rows join theirs
        windows.addAll(windowsOf(c, orderKeys)); // where they are now
        Set<String> closed = column(c, "SELECT DISTINCT window_start::text FROM cdc_order_revenue_5m WHERE closed"
                + " AND window_start = ANY(?::timestamp[])", windows);
        if (!closed.isEmpty()) {
            // a closed window is final: what still arrives for it is counted, not applied
            try (PreparedStatement late = c.prepareStatement("UPDATE cdc_order_revenue_5m SET late_changes = late_changes + 1"
                    + " WHERE window_start = ANY(?::timestamp[])")) {
                late.setArray(1, c.createArrayOf("text", closed.toArray()));
                late.executeUpdate();
            }
        }
        try (PreparedStatement empty = c.prepareStatement("DELETE FROM cdc_order_revenue_5m WHERE orders = 0"
                + " AND NOT closed AND window_start = ANY(?::timestamp[])")) {
            empty.setArray(1, c.createArrayOf("text", windows.toArray()));
            empty.executeUpdate(); // a group no order falls in any more
        }
        closeWindows(c, newestCommitMs);
        return written;
    }

    /** The revenue windows these orders' enriched rows fall in. */
    private static Set<String> windowsOf(Connection c, Set<String> orderKeys) throws SQLException {
        return column(c, "SELECT date_bin('" + WINDOW + "', created_at, timestamp '2000-01-01')::text"
                + " FROM cdc_orders_enriched WHERE order_id = ANY(?::bigint[]) AND created_at IS NOT NULL", orderKeys);
    }

    /** Moves the watermark (newest source commit time seen minus the allowed lateness) and closes what it passed. */
    private void closeWindows(Connection c, long newestCommitMs) throws SQLException {
        java.time.LocalDateTime candidate = java.time.LocalDateTime.ofInstant(
                java.time.Instant.ofEpochMilli(newestCommitMs).minus(lateness), java.time.ZoneOffset.UTC);
        try (PreparedStatement watermark = c.prepareStatement("""
                INSERT INTO cdc_watermarks (name, watermark) VALUES ('cdc_order_revenue_5m', ?)
                ON CONFLICT (name) DO UPDATE SET watermark = greatest(cdc_watermarks.watermark, EXCLUDED.watermark),
                    updated_at = now()""");
             PreparedStatement close = c.prepareStatement("""
                UPDATE cdc_order_revenue_5m SET closed = true WHERE NOT closed
                AND window_end <= (SELECT watermark FROM cdc_watermarks WHERE name = 'cdc_order_revenue_5m')""")) {
            watermark.setObject(1, candidate);
            watermark.executeUpdate();
            close.executeUpdate();
        }
    }

    /**
     * Adds ({@code sign} +1) or takes away (-1) these orders' enriched rows to or from the totals of their open
     * windows: orders, revenue and average order value per window x customer tier x product category. An order counts
     * once in each group it has items in, so the totals are sums over orders and move by each order's share alone;
     * a window is never recomputed whole (a product change touches orders in every open window, and recomputing
     * those windows read every enriched row in them, a cost that grew with the run). A closed window is left as it is.
     */
    private static void addToOpenWindows(Connection c, Set<String> orderKeys, int sign) throws SQLException {
        try (PreparedStatement add = c.prepareStatement("""
                INSERT INTO cdc_order_revenue_5m AS r (window_start, window_end, customer_tier, product_category, orders,
                                                       revenue, avg_order_value)
                SELECT w, w + interval '%s', tier, category, ? * count(*), ? * sum(subtotal),
                       round(sum(subtotal) / count(*), 2)
                FROM (SELECT date_bin('%s', e.created_at, timestamp '2000-01-01') AS w,
                             coalesce(e.customer_tier, 'UNKNOWN') AS tier,
                             coalesce(i->>'product_category', 'UNKNOWN') AS category, e.order_id,
                             sum(coalesce((i->>'subtotal')::numeric, 0)) AS subtotal
                      FROM cdc_orders_enriched e CROSS JOIN LATERAL jsonb_array_elements(e.enriched->'items') i
                      WHERE e.order_id = ANY(?::bigint[]) AND e.created_at IS NOT NULL
                      GROUP BY 1, 2, 3, 4) x
                WHERE NOT EXISTS (SELECT 1 FROM cdc_order_revenue_5m closed WHERE closed.window_start = x.w AND closed.closed)
                GROUP BY w, tier, category
                ON CONFLICT (window_start, customer_tier, product_category) DO UPDATE
                SET orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue,
                    avg_order_value = CASE WHEN r.orders + EXCLUDED.orders > 0
                        THEN round((r.revenue + EXCLUDED.revenue) / (r.orders + EXCLUDED.orders), 2) ELSE 0 END,
                    _recomputed_at = now()""".formatted(WINDOW, WINDOW))) {
            add.setInt(1, sign);
            add.setInt(2, sign);
            add.setArray(3, c.createArrayOf("text", orderKeys.toArray()));
            add.executeUpdate();
        }
    }

    /** Live rows of a table whose {@code by} column is one of {@code keys}, by their own key, source column names. */
    private Map<String, Map<String, Object>> rows(Connection c, SqlIdentifier table, SqlIdentifier by,
                                                  Collection<String> keys) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        SqlIdentifier ownKey = table.equals(orders) ? orderKey : table.equals(customers) ? customerKey
                : table.equals(items) ? itemKey : productKey;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table.quoted() + " WHERE " + anyOf(table, by)
                + " AND NOT \"_deleted\"")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                // the definition speaks the source's names; the ODS folded them to lower case
                String[] names = new String[md.getColumnCount() + 1];
                for (int i = 1; i < names.length; i++) {
                    String name = md.getColumnName(i);
                    names[i] = name.startsWith("_") ? null : name.toUpperCase(Locale.ROOT);
                }
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i < names.length; i++) {
                        if (names[i] != null) {
                            row.put(names[i], value(rs, i, md));
                        }
                    }
                    out.put(text(row.get(ownKey.name().toUpperCase(Locale.ROOT))), row);
                }
            }
        }
        return out;
    }

    /** A column's value in the forms the definition and the truth use. */
    private static Object value(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
        String type = md.getColumnTypeName(i);
        Object value = switch (type) {
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "jsonb", "json" -> {
                String json = rs.getString(i);
                try {
                    yield json == null ? null : DebeziumJsonCodec.mapper().readValue(json, Object.class);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new SQLException("column " + md.getColumnName(i) + " holds invalid JSON", e);
                }
            }
            default -> md.getColumnType(i) == Types.OTHER ? rs.getString(i) : rs.getObject(i);
        };
        return rs.wasNull() ? null : value;
    }

    /** {@code column = ANY(?::type[])}: keys travel as text and are cast to the column's type, so its index is used. */
    private String anyOf(SqlIdentifier table, SqlIdentifier column) throws SQLException {
        OdsColumn col = catalog.table(table).map(t -> t.column(column)).orElse(null);
        if (col == null) {
            throw new SQLException("the join needs column " + column + " in table " + table + ", which has none", "42703");
        }
        return column.quoted() + " = ANY(?::" + col.sqlType() + "[])";
    }

    private static Set<String> column(Connection c, String sql, Collection<String> keys) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String text(Object key) {
        return key == null ? null : key instanceof BigDecimal d ? d.toPlainString() : key.toString();
    }
}
