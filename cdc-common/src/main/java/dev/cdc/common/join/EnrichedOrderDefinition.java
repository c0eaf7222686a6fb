package dev.cdc.common.join;

import dev.cdc.common.event.TableId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What an enriched order is: the 3-way join of an order with its customer and its items, each item with its product.
 * One pure function, used by the ODS recompute, the Flink job and the generator's truth alike.
 *
 * <p>The enriched row (column names lower case, as in the ODS):
 * <ul>
 *   <li>every order column but the excluded (XML) ones, under its own name;</li>
 *   <li>every customer column but its key and the excluded ones, as {@code customer_<column>} (so a new customer
 *       column is carried without code changes); absent while the customer is unknown (a table holding enriched
 *       rows stores NULL there);</li>
 *   <li>{@code item_count} and {@code items_total} (sum of the item subtotals);</li>
 *   <li>{@code items}: a list, by item key, of every item column but the order key, plus {@code product_<column>}
 *       for every product column but its key.</li>
 * </ul>
 * A deleted order has no enriched row; a deleted or unknown customer or product leaves its fields null.
 *
 * @param excludedColumns source columns never carried (the XML columns), upper case
 */
public record EnrichedOrderDefinition(TableId orders, TableId customers, TableId items, TableId products,
                                      String orderKey, String customerKey, String itemKey, String productKey,
                                      String itemSubtotal, Set<String> excludedColumns) {

    /** The SALES schema of the simulated source. */
    public static final EnrichedOrderDefinition SALES = new EnrichedOrderDefinition(
            new TableId("SALES", "ORDERS"), new TableId("SALES", "CUSTOMERS"),
            new TableId("SALES", "ORDER_ITEMS"), new TableId("SALES", "PRODUCTS"),
            "ORDER_ID", "CUSTOMER_ID", "ITEM_ID", "PRODUCT_ID", "SUBTOTAL",
            Set.of("SHIPPING_INFO", "ADDRESSES"));

    public EnrichedOrderDefinition {
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(customers, "customers");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(products, "products");
        excludedColumns = Set.copyOf(excludedColumns);
    }

    /** The tables whose changes can change an enriched order. */
    public List<TableId> inputs() {
        return List.of(orders, customers, items, products);
    }

    /**
     * Joins one order.
     *
     * @param order the order row (source column names), never null
     * @param customer its customer row, or null when unknown or deleted
     * @param orderItems the live items whose order key is this order's
     * @param productByKey finds a live product by its key value, null when unknown
     */
    public Map<String, Object> enrich(Map<String, Object> order, Map<String, Object> customer,
                                      Collection<Map<String, Object>> orderItems,
                                      Function<Object, Map<String, Object>> productByKey) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, Object> column : order.entrySet()) {
            if (!excludedColumns.contains(column.getKey())) {
                row.put(lower(column.getKey()), column.getValue());
            }
        }
        if (customer != null) {
            for (Map.Entry<String, Object> column : customer.entrySet()) {
                String name = column.getKey();
                if (!name.equals(customerKey) && !excludedColumns.contains(name)) {
                    row.put("customer_" + lower(name), column.getValue());
                }
            }
        }
        List<Map<String, Object>> sorted = new ArrayList<>(orderItems);
        sorted.sort(Comparator.comparing(i -> i.get(itemKey), EnrichedOrderDefinition::compareKeys));
        List<Map<String, Object>> enrichedItems = new ArrayList<>(sorted.size());
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> item : sorted) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> column : item.entrySet()) {
                if (!column.getKey().equals(orderKey) && !excludedColumns.contains(column.getKey())) {
                    out.put(lower(column.getKey()), column.getValue());
                }
            }
            Map<String, Object> product = productByKey.apply(item.get(productKey));
            if (product != null) {
                for (Map.Entry<String, Object> column : product.entrySet()) {
                    if (!column.getKey().equals(productKey) && !excludedColumns.contains(column.getKey())) {
                        out.put("product_" + lower(column.getKey()), column.getValue());
                    }
                }
            }
            BigDecimal subtotal = decimal(item.get(itemSubtotal));
            if (subtotal != null) {
                total = total.add(subtotal);
            }
            enrichedItems.add(out);
        }
        row.put("item_count", (long) enrichedItems.size());
        row.put("items_total", total);
        row.put("items", enrichedItems);
        return row;
    }

    /** A subtotal as a decimal: a number, or decimal text (Debezium's decimal.handling.mode=string); else null. */
    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null; // not a number: it cannot add to the total
            }
        }
        return null;
    }

    /** Numeric keys in numeric order, whatever their Java type; anything else by its text. */
    private static int compareKeys(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** Column names repeat in every row: lower-cased once each (bounded: names come from schemas, not values). */
    private static final java.util.Map<String, String> LOWER = new java.util.concurrent.ConcurrentHashMap<>();

    private static String lower(String column) {
        String known = LOWER.get(column);
        if (known != null) {
            return known;
        }
        String lower = column.toLowerCase(java.util.Locale.ROOT);
        if (LOWER.size() < 100_000) {
            LOWER.put(column, lower);
        }
        return lower;
    }
}
