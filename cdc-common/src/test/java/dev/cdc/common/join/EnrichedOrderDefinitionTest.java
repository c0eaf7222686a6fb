package dev.cdc.common.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.TableId;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The enriched order: one order, its customer, its items each with their product. */
class EnrichedOrderDefinitionTest {

    private static final EnrichedOrderDefinition DEF = EnrichedOrderDefinition.SALES;

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static Map<String, Object> order() {
        return row("ORDER_ID", 1001L, "CUSTOMER_ID", 7L, "STATUS", "NEW",
                "ORDER_DATE", LocalDateTime.parse("2026-01-02T03:04:00"),
                "SHIPPING_INFO", "<shipping><city>Paris</city></shipping>");
    }

    private static Map<String, Object> customer() {
        return row("CUSTOMER_ID", 7L, "NAME", "Zoë", "EMAIL", "zoe@example.com",
                "ADDRESSES", "<addresses/>");
    }

    private static Map<String, Object> item(long itemId, long productId, String subtotal) {
        return row("ITEM_ID", itemId, "ORDER_ID", 1001L, "PRODUCT_ID", productId, "QUANTITY", 1L,
                "SUBTOTAL", new BigDecimal(subtotal));
    }

    private static final Map<Object, Map<String, Object>> PRODUCTS = Map.of(
            50L, row("PRODUCT_ID", 50L, "NAME", "Tea", "PRICE", new BigDecimal("4.95")),
            51L, row("PRODUCT_ID", 51L, "NAME", "Cup", "PRICE", new BigDecimal("12.00")));
    private static final Function<Object, Map<String, Object>> PRODUCT_BY_KEY = PRODUCTS::get;

    @Test
    void orderColumnsAreLowerCasedAndXmlIsExcluded() {
        Map<String, Object> enriched = DEF.enrich(order(), customer(), List.of(), PRODUCT_BY_KEY);

        assertThat(enriched).containsEntry("order_id", 1001L)
                .containsEntry("customer_id", 7L)
                .containsEntry("status", "NEW")
                .containsEntry("order_date", LocalDateTime.parse("2026-01-02T03:04:00"))
                .doesNotContainKeys("shipping_info", "SHIPPING_INFO", "ORDER_ID", "STATUS");
    }

    @Test
    void customerColumnsArePrefixedWithoutTheKeyOrXml() {
        Map<String, Object> enriched = DEF.enrich(order(), customer(), List.of(), PRODUCT_BY_KEY);

        assertThat(enriched).containsEntry("customer_name", "Zoë")
                .containsEntry("customer_email", "zoe@example.com")
                .doesNotContainKeys("customer_customer_id", "customer_addresses");
    }

    @Test
    void unknownCustomerLeavesNoCustomerFields() {
        Map<String, Object> enriched = DEF.enrich(order(), null, List.of(), PRODUCT_BY_KEY);

        // customer_id is the order's own column, not a customer field
        assertThat(enriched.keySet()).filteredOn(k -> k.startsWith("customer_")).containsExactly("customer_id");
        assertThat(enriched).containsEntry("customer_id", 7L);
    }

    @Test
    void newCustomerColumnIsCarriedWithoutCodeChanges() {
        Map<String, Object> customer = customer();
        customer.put("LOYALTY_POINTS", 1200L);

        assertThat(DEF.enrich(order(), customer, List.of(), PRODUCT_BY_KEY))
                .containsEntry("customer_loyalty_points", 1200L);
    }

    @Test
    void itemsAreSortedByItemIdNumerically() {
        // 2 before 10: a text sort would put "10" first
        List<Map<String, Object>> items = List.of(item(10, 50, "1.00"), item(2, 51, "1.00"), item(1, 50, "1.00"));

        Map<String, Object> enriched = DEF.enrich(order(), customer(), items, PRODUCT_BY_KEY);

        assertThat(itemsOf(enriched)).extracting(i -> i.get("item_id")).containsExactly(1L, 2L, 10L);
    }

    @Test
    void itemsSortNumericallyAcrossNumberTypes() {
        List<Map<String, Object>> items = List.of(
                row("ITEM_ID", new BigDecimal("10"), "PRODUCT_ID", 50L, "SUBTOTAL", BigDecimal.ONE),
                row("ITEM_ID", 9, "PRODUCT_ID", 50L, "SUBTOTAL", BigDecimal.ONE),
                row("ITEM_ID", 2L, "PRODUCT_ID", 50L, "SUBTOTAL", BigDecimal.ONE));

        assertThat(itemsOf(DEF.enrich(order(), customer(), items, PRODUCT_BY_KEY)))
                .extracting(i -> i.get("item_id")).containsExactly(2L, 9, new BigDecimal("10"));
    }

    @Test
    void itemsCarryTheirProductWithoutTheOrderKey() {
        Map<String, Object> enriched = DEF.enrich(order(), customer(), List.of(item(1, 51, "24.00")), PRODUCT_BY_KEY);

        Map<String, Object> item = itemsOf(enriched).get(0);
        assertThat(item).containsEntry("item_id", 1L)
                .containsEntry("product_id", 51L)
                .containsEntry("quantity", 1L)
                .containsEntry("subtotal", new BigDecimal("24.00"))
                .containsEntry("product_name", "Cup")
                .containsEntry("product_price", new BigDecimal("12.00"))
                .doesNotContainKeys("order_id", "product_product_id");
    }

    @Test
    void unknownProductLeavesNoProductFields() {
        Map<String, Object> enriched = DEF.enrich(order(), customer(), List.of(item(1, 99, "5.00")), PRODUCT_BY_KEY);

        assertThat(itemsOf(enriched).get(0).keySet()).noneMatch(k -> k.startsWith("product_") && !k.equals("product_id"));
    }

    @Test
    void itemsTotalIsTheExactSumOfSubtotalsAndItemCountTheirNumber() {
        List<Map<String, Object>> items = List.of(item(1, 50, "0.10"), item(2, 50, "0.20"), item(3, 51, "49.90"));

        Map<String, Object> enriched = DEF.enrich(order(), customer(), items, PRODUCT_BY_KEY);

        // 0.1 + 0.2 in binary floating point is not 0.3: the total must be decimal
        assertThat(enriched.get("items_total")).isEqualTo(new BigDecimal("50.20"));
        assertThat(enriched.get("item_count")).isEqualTo(3L);
    }

    @Test
    void orderWithoutItemsHasZeroTotalAndEmptyList() {
        Map<String, Object> enriched = DEF.enrich(order(), customer(), List.of(), PRODUCT_BY_KEY);

        assertThat(enriched.get("item_count")).isEqualTo(0L);
        assertThat((BigDecimal) enriched.get("items_total")).isEqualByComparingTo("0");
        assertThat(itemsOf(enriched)).isEmpty();
    }

    @Test
    void inputsAreTheFourTables() {
        assertThat(DEF.inputs()).containsExactly(new TableId("SALES", "ORDERS"), new TableId("SALES", "CUSTOMERS"),
                new TableId("SALES", "ORDER_ITEMS"), new TableId("SALES", "PRODUCTS"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> itemsOf(Map<String, Object> enriched) {
        return (List<Map<String, Object>>) enriched.get("items");
    }
}
