package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 3-way join's three keyed steps wired by hand in Flink's operator test harnesses, with a processing time the
 * test moves: what expires, and that expiry never changes an enriched order.
 */
class JoinStateRetentionTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final long DAY = Duration.ofDays(1).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, JoinPart> orders;
    private KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, JoinPart> items;
    private KeyedOneInputStreamOperatorTestHarness<String, JoinPart, ApiRecord> enriched;
    private long scn = 1_000;

    @BeforeEach
    void open() throws Exception {
        orders = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new LookupJoin("SALES.ORDERS", "SALES.CUSTOMERS", JoinPart.ORDER, RETENTION),
                c -> c.customerKey == null ? "" : c.customerKey, Types.STRING);
        items = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new LookupJoin("SALES.ORDER_ITEMS", "SALES.PRODUCTS", JoinPart.ITEM, RETENTION),
                c -> c.productKey == null ? "" : c.productKey, Types.STRING);
        enriched = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new EnrichedOrderJoin(RETENTION, Duration.ZERO), p -> p.orderKey, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        orders.close();
        items.close();
        enriched.close();
    }

    @Test
    void anOrderUntouchedForMuchLongerThanTheRetentionStillGetsItsCustomersAndProductsChanges() throws Exception {
        change("SALES.CUSTOMERS", "7", null, "7", null, false, "{\"CUSTOMER_ID\":7,\"NAME\":\"Ada\"}");
        change("SALES.PRODUCTS", "3", null, null, "3", false, "{\"PRODUCT_ID\":3,\"NAME\":\"Lamp\"}");
        change("SALES.ORDERS", "100", "100", "7", null, false, "{\"ORDER_ID\":100,\"CUSTOMER_ID\":7}");
        change("SALES.ORDER_ITEMS", "1000", "100", null, "3", false,
                "{\"ITEM_ID\":1000,\"ORDER_ID\":100,\"PRODUCT_ID\":3,\"SUBTOTAL\":20}");
        assertThat(lastOrder(sent()).path("customer_name").asText()).isEqualTo("Ada");

        advanceTo(30 * DAY); // nobody touches the order, its customer or its product for a month

        change("SALES.CUSTOMERS", "7", null, "7", null, false, "{\"CUSTOMER_ID\":7,\"NAME\":\"Grace\"}");
        JsonNode order = lastOrder(sent());
        assertThat(order.path("customer_name").asText()).isEqualTo("Grace");
        assertThat(order.path("item_count").asLong()).as("its item is still there").isEqualTo(1);
        assertThat(order.path("items").get(0).path("product_name").asText()).isEqualTo("Lamp");

        advanceTo(60 * DAY);
        change("SALES.PRODUCTS", "3", null, null, "3", false, "{\"PRODUCT_ID\":3,\"NAME\":\"Desk\"}");
        order = lastOrder(sent());
        assertThat(order.path("customer_name").asText()).as("its customer is still there").isEqualTo("Grace");
        assertThat(order.path("items").get(0).path("product_name").asText()).isEqualTo("Desk");
    }

    @Test
    void aDeletedOrderRefusesLateOlderChangesWithinTheRetentionAndIsForgottenWithItsItemsAfter() throws Exception {
        change("SALES.CUSTOMERS", "7", null, "7", null, false, "{\"CUSTOMER_ID\":7,\"NAME\":\"Ada\"}");
        long insert = change("SALES.ORDERS", "200", "200", "7", null, false, "{\"ORDER_ID\":200,\"CUSTOMER_ID\":7}");
        change("SALES.ORDER_ITEMS", "2001", "200", null, "3", false,
                "{\"ITEM_ID\":2001,\"ORDER_ID\":200,\"PRODUCT_ID\":3,\"SUBTOTAL\":5}");
        change("SALES.ORDERS", "200", "200", "7", null, true, null);
        List<ApiRecord> deletion = sent();
        assertThat(json(deletion.get(deletion.size() - 1)).path("deleted").asBoolean()).isTrue();

        advanceTo(RETENTION.toMillis() / 2);
        changeAt(insert + 1, "SALES.ORDERS", "200", "200", "7", null, false,
                "{\"ORDER_ID\":200,\"CUSTOMER_ID\":7,\"STATUS\":\"late\"}");
        assertThat(sent()).as("an older change than the deletion brings nothing back").isEmpty();

        advanceTo(RETENTION.toMillis() + 1);
        assertThat(sent()).as("expiry sends nothing").isEmpty();
        assertThat(heldItems("200")).as("the items of the deleted order are gone").isEmpty();
        assertThat(enriched.numKeyedStateEntries()).as("the order, its items, what was sent: all gone").isZero();
        assertThat(held(orders, "7", "children")).as("the customer's deleted order is gone").isEmpty();
    }

    @Test
    void aDeletedItemIsClearedAfterTheRetentionWithoutChangingItsEnrichedOrder() throws Exception {
        change("SALES.PRODUCTS", "3", null, null, "3", false, "{\"PRODUCT_ID\":3,\"NAME\":\"Lamp\"}");
        change("SALES.ORDERS", "300", "300", null, null, false, "{\"ORDER_ID\":300}");
        change("SALES.ORDER_ITEMS", "3001", "300", null, "3", false,
                "{\"ITEM_ID\":3001,\"ORDER_ID\":300,\"PRODUCT_ID\":3,\"SUBTOTAL\":5}");
        change("SALES.ORDER_ITEMS", "3002", "300", null, "3", false,
                "{\"ITEM_ID\":3002,\"ORDER_ID\":300,\"PRODUCT_ID\":3,\"SUBTOTAL\":7}");
        change("SALES.ORDER_ITEMS", "3002", "300", null, "3", true, null);
        assertThat(lastOrder(sent()).path("item_count").asLong()).isEqualTo(1);
        assertThat(heldItems("300")).containsExactlyInAnyOrder("3001", "3002");

        advanceTo(RETENTION.toMillis() + 1);
        assertThat(sent()).as("the same enriched order: nothing to send").isEmpty();
        assertThat(heldItems("300")).as("the deleted item is gone, the live one kept").containsExactly("3001");

        change("SALES.PRODUCTS", "3", null, null, "3", false, "{\"PRODUCT_ID\":3,\"NAME\":\"Desk\"}");
        JsonNode order = lastOrder(sent());
        assertThat(order.path("item_count").asLong()).isEqualTo(1);
        assertThat(order.path("items_total").decimalValue()).isEqualByComparingTo("5");
        assertThat(order.path("items").get(0).path("product_name").asText()).isEqualTo("Desk");
    }

    /** A change with the next position, through the join as the job routes it; returns its scn. */
    private long change(String table, String rowKey, String orderKey, String customerKey, String productKey,
                        boolean deleted, String row) throws Exception {
        scn += 10;
        return changeAt(scn, table, rowKey, orderKey, customerKey, productKey, deleted, row);
    }

    private long changeAt(long at, String table, String rowKey, String orderKey, String customerKey,
                          String productKey, boolean deleted, String row) throws Exception {
        ChangeRecord c = new ChangeRecord();
        c.eventId = table + ":" + at + ":0";
        c.table = table;
        c.scn = at;
        c.rowKey = rowKey;
        c.orderKey = orderKey;
        c.customerKey = customerKey;
        c.productKey = productKey;
        c.deleted = deleted;
        c.joinRow = row == null ? null : row.getBytes(StandardCharsets.UTF_8);
        c.sourceTsMs = at;
        boolean orderSide = table.equals("SALES.ORDERS") || table.equals("SALES.CUSTOMERS");
        KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, JoinPart> lookup = orderSide ? orders : items;
        lookup.processElement(c, at);
        forward(lookup);
        return at;
    }

    private void forward(KeyedOneInputStreamOperatorTestHarness<String, ChangeRecord, JoinPart> lookup) throws Exception {
        List<JoinPart> parts = new ArrayList<>(lookup.extractOutputValues());
        lookup.getOutput().clear();
        for (JoinPart p : parts) {
            if (p.orderKey != null) {
                enriched.processElement(p, p.sourceTsMs);
            }
        }
    }

    /**
     * Moves every step's processing time (their timers fire) and passes on what they emit. State TTL's clock moves
     * too, so state with a time-to-live, as the join had with flink.state-ttl, would expire here.
     */
    private void advanceTo(long millis) throws Exception {
        orders.setStateTtlProcessingTime(millis);
        items.setStateTtlProcessingTime(millis);
        enriched.setStateTtlProcessingTime(millis);
        orders.setProcessingTime(millis);
        forward(orders);
        items.setProcessingTime(millis);
        forward(items);
        enriched.setProcessingTime(millis);
    }

    /** What the join sent since the last call. */
    private List<ApiRecord> sent() {
        List<ApiRecord> out = new ArrayList<>(enriched.extractOutputValues());
        enriched.getOutput().clear();
        return out;
    }

    private static JsonNode lastOrder(List<ApiRecord> records) throws Exception {
        assertThat(records).as("an enriched order was sent").isNotEmpty();
        JsonNode last = json(records.get(records.size() - 1));
        assertThat(last.path("deleted").asBoolean()).isFalse();
        return last.path("order");
    }

    /** The item keys the last step holds for an order, read from its keyed state. */
    private List<String> heldItems(String orderKey) throws Exception {
        return held(enriched, orderKey, "items");
    }

    /** The row keys a step holds in one of its map states for one key. */
    private static List<String> held(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> step, String key,
                                     String mapState) throws Exception {
        KeyedStateBackend<String> backend = ((AbstractStreamOperator<?>) step.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(key);
        MapState<String, JoinPart> state = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>(mapState, String.class, JoinPart.class));
        List<String> keys = new ArrayList<>();
        state.keys().forEach(keys::add);
        return keys;
    }

    private static JsonNode json(ApiRecord r) throws Exception {
        return DebeziumJsonCodec.mapper().readTree(r.json);
    }
}
