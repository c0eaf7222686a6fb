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
 * Keeps {@code cdc_orders_enriched} (and through {@link RevenueWindows} {@code cdc_order_revenue_5m}) equal to the
 * join of the state tables, by recomputing exactly the orders a batch touched: the order itself, its items (also the
 * order an item left), its customer, or a product one of its items references. The transaction that writes the
 * inputs queues those orders ({@link PendingOrders}); a recompute claims a slice of the queue, so recomputes run in
 * parallel on disjoint orders and survive a crash between the two steps. The join itself is
 * {@link EnrichedOrderDefinition}, the one definition the Flink job and the truth use too; this class only loads its
 * inputs and stores its output.
 */
final class EnrichedOrders {

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
    private final RevenueWindows windows;

    EnrichedOrders(EnrichedOrderDefinition definition, TableMapping mapping, OdsCatalog catalog, RevenueWindows windows) {
        this.definition = definition;
        this.catalog = catalog;
        this.windows = windows;
        this.orders = mapping.stateTable(definition.orders());
        this.customers = mapping.stateTable(definition.customers());
        this.items = mapping.stateTable(definition.items());
        this.products = mapping.stateTable(definition.products());
        this.orderKey = SqlIdentifier.of(definition.orderKey());
        this.customerKey = SqlIdentifier.of(definition.customerKey());
        this.itemKey = SqlIdentifier.of(definition.itemKey());
        this.productKey = SqlIdentifier.of(definition.productKey());
    }

    SqlIdentifier itemsTable() {
        return items;
    }

    RevenueWindows windows() {
        return windows;
    }

    /** Queues the orders these items belong to now: called before the items are written, it catches an item that moves. */
    void queueOrdersOfItems(Connection c, Collection<String> itemKeys) throws SQLException {
        if (!itemKeys.isEmpty() && catalog.table(items).isPresent()) {
            PendingOrders.queueSelected(c, "SELECT " + orderKey.quoted() + "::text FROM " + items.quoted() + " WHERE "
                    + anyOf(items, itemKey), itemKeys);
        }
    }

    /**
     * Queues the orders whose enriched row depends on the rows written, per state table, by their first key column:
     * in one statement, each order once however many of its inputs changed.
     */
    void queueAffected(Connection c, Map<SqlIdentifier, Set<String>> written) throws SQLException {
        List<String> selects = new ArrayList<>();
        List<Set<String>> keys = new ArrayList<>();
        Set<String> writtenOrders = written.getOrDefault(orders, Set.of());
        if (!writtenOrders.isEmpty()) {
            selects.add("SELECT unnest(?::text[])");
            keys.add(writtenOrders);
        }
        Set<String> writtenItems = written.getOrDefault(items, Set.of());
        if (!writtenItems.isEmpty()) {
            selects.add("SELECT " + orderKey.quoted() + "::text FROM " + items.quoted() + " WHERE " + anyOf(items, itemKey));
            keys.add(writtenItems);
        }
        Set<String> writtenCustomers = written.getOrDefault(customers, Set.of());
        if (!writtenCustomers.isEmpty() && catalog.table(orders).isPresent()) {
            selects.add("SELECT " + orderKey.quoted() + "::text FROM " + orders.quoted() + " WHERE "
                    + anyOf(orders, customerKey) + " AND NOT \"_deleted\"");
            keys.add(writtenCustomers);
        }
        Set<String> writtenProducts = written.getOrDefault(products, Set.of());
        if (!writtenProducts.isEmpty() && catalog.table(items).isPresent()) {
            selects.add("SELECT " + orderKey.quoted() + "::text FROM " + items.quoted() + " WHERE "
                    + anyOf(items, productKey) + " AND NOT \"_deleted\"");
            keys.add(writtenProducts);
        }
        if (selects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_pending_orders (order_id) SELECT DISTINCT o FROM ("
                + String.join(" UNION ALL ", selects) + ") AS s(o) WHERE o IS NOT NULL")) {
            for (int k = 0; k < keys.size(); k++) {
                ps.setArray(k + 1, c.createArrayOf("text", keys.get(k).toArray()));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Recomputes the enriched rows of these (claimed) orders and moves their revenue windows; returns rows written.
     * The join inputs are read and the rows built with no lock held, so recomputes of different orders run at once;
     * replacing the rows and moving the windows take the windows' lock, held to commit: window totals move by deltas
     * that must not interleave (two recomputes reading one order's old row would take it out twice), and one lock
     * cannot deadlock as row locks taken in different orders by several statements can.
     */
    int recompute(Connection c, Set<String> orderKeys) throws SQLException {
        if (orderKeys.isEmpty()) {
            return 0;
        }
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
        Map<String, Map<String, Object>> built = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> order : liveOrders.entrySet()) {
            Map<String, Object> customer = liveCustomers.get(text(order.getValue().get(definition.customerKey())));
            built.put(order.getKey(), definition.enrich(order.getValue(), customer,
                    itemsByOrder.getOrDefault(order.getKey(), List.of()), key -> liveProducts.get(text(key))));
        }

        windows.lock(c);
        Set<String> touched = windows.of(c, orderKeys); // where the orders were: a window may lose one
        windows.add(c, orderKeys, -1); // the orders' old rows leave their windows' totals
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM cdc_orders_enriched WHERE order_id = ANY(?::bigint[])")) {
            delete.setArray(1, c.createArrayOf("text", orderKeys.toArray()));
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO cdc_orders_enriched (order_id, customer_id, customer_tier, created_at, item_count,
                                                 items_total, enriched)
                VALUES (?::bigint, ?::bigint, ?, ?::timestamp, ?, ?, ?::jsonb)""")) {
            for (Map.Entry<String, Map<String, Object>> order : built.entrySet()) {
                Map<String, Object> enriched = order.getValue();
                insert.setString(1, order.getKey());
                insert.setString(2, text(liveOrders.get(order.getKey()).get(definition.customerKey())));
                insert.setString(3, (String) enriched.get("customer_tier"));
                insert.setString(4, SqlText.of(enriched.get("created_at")));
                insert.setLong(5, (Long) enriched.get("item_count"));
                insert.setBigDecimal(6, (BigDecimal) enriched.get("items_total"));
                insert.setString(7, SqlText.json(enriched));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        windows.add(c, orderKeys, +1); // and their new rows join theirs
        touched.addAll(windows.of(c, orderKeys)); // where they are now
        windows.settle(c, touched);
        return built.size();
    }

    /** Live rows of a table whose {@code by} column is one of {@code keys}, by their own key, source column names. */
    private Map<String, Map<String, Object>> rows(Connection c, SqlIdentifier table, SqlIdentifier by,
                                                  Collection<String> keys) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (keys.isEmpty() || catalog.table(table).isEmpty()) {
            return out; // no row of that table has landed yet
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

    private static String text(Object key) {
        return key == null ? null : key instanceof BigDecimal d ? d.toPlainString() : key.toString();
    }
}
