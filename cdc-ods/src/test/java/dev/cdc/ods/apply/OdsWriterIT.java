package dev.cdc.ods.apply;

import static dev.cdc.ods.apply.Changes.DECIMAL2;
import static dev.cdc.ods.apply.Changes.INT32;
import static dev.cdc.ods.apply.Changes.INT64;
import static dev.cdc.ods.apply.Changes.STRING;
import static dev.cdc.ods.apply.Changes.TIMESTAMP;
import static dev.cdc.ods.apply.Changes.message;
import static dev.cdc.ods.apply.Changes.row;
import static dev.cdc.ods.apply.Changes.schema;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.TestOds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer against real PostgreSQL: order, idempotence, schema evolution, XML, dead letters, splitting. */
class OdsWriterIT {

    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");
    private static final TableId ORDERS = new TableId("SALES", "ORDERS");
    private static final ConnectSchema CUSTOMER = schema(CUSTOMERS, fields("CUSTOMER_ID", INT64, "NAME", STRING,
            "EMAIL", STRING, "TIER", STRING, "REGION", STRING, "ADDRESSES", STRING, "CREATED_AT", TIMESTAMP));
    private static final ConnectSchema ORDER = schema(ORDERS, fields("ORDER_ID", INT64, "CUSTOMER_ID", INT64,
            "ORDER_DATE", TIMESTAMP, "STATUS", STRING, "TOTAL_AMOUNT", DECIMAL2, "SHIPPING_INFO", STRING,
            "CREATED_AT", TIMESTAMP, "UPDATED_AT", TIMESTAMP));
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 5, 8, 0, 1);

    @TempDir
    static Path dir;
    static TestOds ods;
    OdsDatabase db;
    OdsWriter writer;

    @BeforeAll
    static void start() throws Exception {
        ods = TestOds.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        ods.close();
    }

    @BeforeEach
    void freshOds() throws Exception {
        db = ods.freshDatabase();
        writer = new OdsWriter(db.dataSource(), TestOds.options("test"));
    }

    private static Map<String, ConnectSchema> fields(Object... namesAndSchemas) {
        Map<String, ConnectSchema> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            out.put((String) namesAndSchemas[i], (ConnectSchema) namesAndSchemas[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> customer(long id, String name, String tier) {
        return row("CUSTOMER_ID", id, "NAME", name, "EMAIL", name.toLowerCase() + "@example.com", "TIER", tier,
                "REGION", "EU", "ADDRESSES", null, "CREATED_AT", T0);
    }

    private static Map<String, Object> order(long id, long customer, String status, String xml) {
        return row("ORDER_ID", id, "CUSTOMER_ID", customer, "ORDER_DATE", T0, "STATUS", status,
                "TOTAL_AMOUNT", new BigDecimal("99.90"), "SHIPPING_INFO", xml, "CREATED_AT", T0, "UPDATED_AT", T0);
    }

    private List<Map<String, Object>> q(String sql) throws Exception {
        return TestOds.query(db, sql);
    }

    @Test
    void anOlderChangeNeverOverwritesANewerOneWhateverTheArrivalOrder() throws Exception {
        BrokerMessage v1 = message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "BRONZE"), 100);
        BrokerMessage v2 = message(CUSTOMERS, Operation.UPDATE, CUSTOMER, customer(1, "Ann", "GOLD"), 200);
        assertThat(writer.apply(1, List.of(v2)).changeTimes()).hasSize(1);
        BatchResult late = writer.apply(2, List.of(v1));
        assertThat(late.written()).isZero();
        assertThat(late.stale()).isEqualTo(1);
        assertThat(late.changeTimes()).as("a refused late change is no change latency").isEmpty();
        assertThat(q("SELECT tier, _source_scn FROM cdc_customers")).containsExactly(row("tier", "GOLD", "_source_scn", 200L));
    }

    /** Found in a demo: a batch's older changes of a row it writes were reported as late (stale). */
    @Test
    void aBatchsOlderChangesOfARowItWritesTakeEffectThroughItAndAreNotStale() throws Exception {
        BatchResult both = writer.apply(1, List.of(
                message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "BRONZE"), 100),
                message(CUSTOMERS, Operation.UPDATE, CUSTOMER, customer(1, "Ann", "GOLD"), 200)));
        assertThat(both.written()).isEqualTo(1);
        assertThat(both.stale()).isZero();
        assertThat(both.changeTimes()).hasSize(2);
    }

    @Test
    void aDeleteLeavesATombstoneALateOlderUpdateCannotResurrect() throws Exception {
        writer.apply(1, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "SILVER"), 100),
                message(CUSTOMERS, Operation.DELETE, CUSTOMER, customer(1, "Ann", "SILVER"), 300)));
        writer.apply(2, List.of(message(CUSTOMERS, Operation.UPDATE, CUSTOMER, customer(1, "Ann", "GOLD"), 200)));
        assertThat(q("SELECT _deleted, _op, tier FROM cdc_customers"))
                .containsExactly(row("_deleted", true, "_op", "d", "tier", "SILVER"));
    }

    @Test
    void aRedeliveredBatchChangesNothingWhateverItsBatchId() throws Exception {
        List<BrokerMessage> batch = List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "GOLD"), 100),
                message(ORDERS, Operation.CREATE, ORDER, order(10, 1, "NEW", null), 101));
        assertThat(writer.apply(7, batch).written()).isEqualTo(2);
        List<Map<String, Object>> before = q("SELECT * FROM cdc_orders_enriched");
        Object processedAt = q("SELECT _processed_at FROM cdc_orders").get(0).get("_processed_at");
        for (long replayedAs : new long[] {7, 6, 8}) { // the same batch again, or its messages in an older or newer one
            BatchResult again = writer.apply(replayedAs, batch);
            assertThat(again.written()).isZero();
            assertThat(again.stale()).isEqualTo(2);
        }
        assertThat(q("SELECT _processed_at FROM cdc_orders").get(0).get("_processed_at")).isEqualTo(processedAt);
        assertThat(q("SELECT * FROM cdc_orders_enriched")).isEqualTo(before);
        assertThat(q("SELECT batch_id FROM cdc_applied_batches WHERE consumer_id = 'test'"))
                .containsExactly(row("batch_id", 8L));
    }

    @Test
    void aNewCheckpointNumberingBatchesFromZeroAgainLosesNothing() throws Exception {
        // Spark numbers batches from 0 again after its checkpoint is removed, and so does a second consumer started
        // with the same consumer id: their batches carry new changes under ids this consumer id has used before.
        writer.apply(41, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "GOLD"), 100)));
        BatchResult fresh = writer.apply(0, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(2, "Bob", "SILVER"), 200),
                message(ORDERS, Operation.CREATE, ORDER, order(10, 2, "NEW", null), 201)));
        assertThat(fresh.written()).isEqualTo(2);
        assertThat(q("SELECT name FROM cdc_customers ORDER BY customer_id"))
                .containsExactly(row("name", "Ann"), row("name", "Bob"));
        assertThat(q("SELECT order_id, customer_tier FROM cdc_orders_enriched"))
                .containsExactly(row("order_id", 10L, "customer_tier", "SILVER"));
    }

    @Test
    void theEnrichedOrderFollowsChangesInAnyArrivalOrder() throws Exception {
        // the order arrives before its customer, then the customer changes tier
        writer.apply(1, List.of(message(ORDERS, Operation.CREATE, ORDER, order(10, 1, "NEW", null), 101)));
        assertThat(q("SELECT customer_tier, enriched->>'status' AS status FROM cdc_orders_enriched"))
                .containsExactly(row("customer_tier", null, "status", "NEW"));
        writer.apply(2, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "SILVER"), 100)));
        writer.apply(3, List.of(message(CUSTOMERS, Operation.UPDATE, CUSTOMER, customer(1, "Ann", "GOLD"), 150)));
        assertThat(q("SELECT customer_tier, enriched->>'customer_name' AS name FROM cdc_orders_enriched"))
                .containsExactly(row("customer_tier", "GOLD", "name", "Ann"));
        writer.apply(4, List.of(message(ORDERS, Operation.DELETE, ORDER, order(10, 1, "NEW", null), 400)));
        assertThat(q("SELECT * FROM cdc_orders_enriched")).isEmpty();
    }

    @Test
    void aRevenueWindowClosesOnceTheWatermarkPassesItAndLateChangesAreCountedNotApplied() throws Exception {
        writer = new OdsWriter(db.dataSource(), TestOds.options("windows").withWindowLateness(java.time.Duration.ofMinutes(10)));
        ConnectSchema item = schema(new TableId("SALES", "ORDER_ITEMS"), fields("ITEM_ID", INT64, "ORDER_ID", INT64,
                "PRODUCT_ID", INT64, "QUANTITY", INT32, "UNIT_PRICE", DECIMAL2, "SUBTOTAL", DECIMAL2));
        TableId items = new TableId("SALES", "ORDER_ITEMS");
        // Changes.message puts the source commit time at 2026-01-01T00:00Z + scn ms; orders are created at T0
        writer.apply(1, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "GOLD"), 100),
                message(ORDERS, Operation.CREATE, ORDER, order(10, 1, "NEW", null), 101),
                message(items, Operation.CREATE, item, row("ITEM_ID", 1L, "ORDER_ID", 10L, "PRODUCT_ID", 5L,
                        "QUANTITY", 1, "UNIT_PRICE", new BigDecimal("10.00"), "SUBTOTAL", new BigDecimal("10.00")), 102)));
        assertThat(q("SELECT orders, revenue, closed FROM cdc_order_revenue_5m"))
                .containsExactly(row("orders", 1L, "revenue", new BigDecimal("10.00"), "closed", false));
        // a change committed long after T0 moves the watermark past T0's window: it closes
        long muchLater = java.time.Duration.between(LocalDateTime.of(2026, 1, 1, 0, 0), T0.plusHours(1)).toMillis();
        writer.apply(2, List.of(message(CUSTOMERS, Operation.UPDATE, CUSTOMER, customer(2, "Bo", "SILVER"), muchLater)));
        assertThat(q("SELECT closed FROM cdc_order_revenue_5m")).containsExactly(row("closed", true));
        // a late item of the same order: the enriched order takes it, the closed window does not
        writer.apply(3, List.of(message(items, Operation.CREATE, item, row("ITEM_ID", 2L, "ORDER_ID", 10L, "PRODUCT_ID", 5L,
                "QUANTITY", 1, "UNIT_PRICE", new BigDecimal("5.00"), "SUBTOTAL", new BigDecimal("5.00")), 103)));
        assertThat(q("SELECT item_count FROM cdc_orders_enriched")).containsExactly(row("item_count", 2));
        assertThat(q("SELECT orders, revenue, closed, late_changes FROM cdc_order_revenue_5m")).containsExactly(
                row("orders", 1L, "revenue", new BigDecimal("10.00"), "closed", true, "late_changes", 1L));
    }

    @Test
    void newMissingCoercedAndNestedColumnsFollowTheSource() throws Exception {
        writer.apply(1, List.of(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(1, "Ann", "GOLD"), 100)));
        ConnectSchema address = ConnectSchema.builder(SchemaType.STRUCT).optional().name("server1.SALES.Address")
                .field("CITY", STRING).field("ZIP", STRING).build();
        ConnectSchema evolved = schema(CUSTOMERS, fields("CUSTOMER_ID", INT64, "NAME", STRING, "TIER", STRING,
                "REGION", STRING, "CREATED_AT", TIMESTAMP, "LOYALTY_POINTS", INT32, "ADDRESS", address));
        Map<String, Object> image = row("CUSTOMER_ID", 1L, "NAME", "Ann", "TIER", "GOLD", "REGION", "EU",
                "CREATED_AT", T0, "LOYALTY_POINTS", 1500, "ADDRESS", row("CITY", "Zürich", "ZIP", "8001"));
        writer.apply(2, List.of(message(CUSTOMERS, Operation.UPDATE, evolved, image, 200)));
        assertThat(q("SELECT email, loyalty_points, address->>'CITY' AS city FROM cdc_customers"))
                .containsExactly(row("email", null, "loyalty_points", 1500, "city", "Zürich"));
        assertThat(q("SELECT change, column_name, new_type FROM cdc_schema_changes WHERE change = 'ADD_COLUMN' ORDER BY id"))
                .containsExactly(row("change", "ADD_COLUMN", "column_name", "loyalty_points", "new_type", "integer"),
                        row("change", "ADD_COLUMN", "column_name", "address", "new_type", "jsonb"));

        // S4: a number written as text is coerced; text that is no number is a dead letter, the rest lands
        ConnectSchema asText = CUSTOMER.withFieldSchema("CUSTOMER_ID", INT64);
        ConnectSchema loyaltyAsText = schema(CUSTOMERS, fields("CUSTOMER_ID", INT64, "NAME", STRING,
                "LOYALTY_POINTS", STRING));
        BatchResult result = writer.apply(3, List.of(
                message(CUSTOMERS, Operation.UPDATE, loyaltyAsText, row("CUSTOMER_ID", 1L, "NAME", "Ann", "LOYALTY_POINTS", "100"), 300),
                message(CUSTOMERS, Operation.CREATE, loyaltyAsText, row("CUSTOMER_ID", 2L, "NAME", "Bo", "LOYALTY_POINTS", "lots"), 301)));
        assertThat(asText).isNotNull();
        assertThat(result.deadLetters()).extracting(d -> d.errorType()).containsExactly(ErrorType.UNSAFE_TYPE_CHANGE);
        assertThat(result.deadLetters().get(0).errorMessage()).contains("loyalty_points").contains("lots");
        assertThat(q("SELECT customer_id, loyalty_points FROM cdc_customers ORDER BY 1"))
                .containsExactly(row("customer_id", 1L, "loyalty_points", 100));
        assertThat(q("SELECT change FROM cdc_schema_changes WHERE column_name = 'loyalty_points' AND change LIKE 'TYPE%' ORDER BY change"))
                .containsExactly(row("change", "TYPE_COERCED"), row("change", "TYPE_REJECTED"));
        assertThat(q("SELECT error_type, consumer_id, convert_from(payload, 'UTF8') LIKE '%lots%' AS has_payload FROM cdc_dlq"))
                .containsExactly(row("error_type", "UNSAFE_TYPE_CHANGE", "consumer_id", "test", "has_payload", true));
    }

    @Test
    void aTableNoOneConfiguredIsCreatedFromItsSchemaAndHostileNamesNeverReachSql() throws Exception {
        TableId hr = new TableId("HR", "EMPLOYEES");
        ConnectSchema employee = schema(hr, fields("EMP_ID", INT64, "FULL_NAME", STRING, "SALARY", DECIMAL2));
        ConnectSchema hostile = schema(hr, fields("EMP_ID", INT64, "x\"; DROP TABLE cdc_orders; --", STRING));
        BatchResult result = writer.apply(1, List.of(
                message(hr, Operation.CREATE, employee, row("EMP_ID", 7L, "FULL_NAME", "Zoë 山田 🚀", "SALARY", new BigDecimal("5000.50")), 10),
                message(hr, Operation.CREATE, hostile, row("EMP_ID", 8L, "x\"; DROP TABLE cdc_orders; --", "boom"), 11)));
        assertThat(result.deadLetters()).extracting(d -> d.errorType()).containsExactly(ErrorType.INVALID_IDENTIFIER);
        // a schema other than the home schema (SALES) is part of the name: no two source tables share one
        assertThat(q("SELECT emp_id, full_name, salary FROM cdc_hr_employees"))
                .containsExactly(row("emp_id", 7L, "full_name", "Zoë 山田 🚀", "salary", new BigDecimal("5000.50")));
        assertThat(q("SELECT count(*) AS n FROM cdc_orders")).containsExactly(row("n", 0L));
        assertThat(q("SELECT change, table_name FROM cdc_schema_changes"))
                .containsExactly(row("change", "CREATE_TABLE", "table_name", "cdc_hr_employees"));
    }

    @Test
    void xmlIsExtractedReplacedAndRemovedAndABadDocumentNeverBlocksItsOrder() throws Exception {
        String three = "<shipping_info><items><item product_id=\"1\" quantity=\"2\" unit_price=\"9.99\"/>"
                + "<item product_id=\"2\" quantity=\"1\" unit_price=\"5.00\"/><item product_id=\"3\"/></items></shipping_info>";
        writer.apply(1, List.of(message(ORDERS, Operation.CREATE, ORDER, order(10, 1, "NEW", three), 100)));
        assertThat(q("SELECT line_no, product_id, quantity FROM cdc_order_items_extracted ORDER BY line_no"))
                .containsExactly(row("line_no", 1, "product_id", 1L, "quantity", 2L), row("line_no", 2, "product_id", 2L, "quantity", 1L),
                        row("line_no", 3, "product_id", 3L, "quantity", null));
        String one = "<shipping_info><items><item><product_id>5</product_id><quantity>4</quantity></item></items></shipping_info>";
        writer.apply(2, List.of(message(ORDERS, Operation.UPDATE, ORDER, order(10, 1, "PAID", one), 200)));
        assertThat(q("SELECT line_no, product_id FROM cdc_order_items_extracted"))
                .containsExactly(row("line_no", 1, "product_id", 5L));

        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<shipping_info><items><item product_id=\"&e;\"/></items></shipping_info>";
        BatchResult result = writer.apply(3, List.of(message(ORDERS, Operation.UPDATE, ORDER, order(10, 1, "SHIPPED", xxe), 300)));
        assertThat(result.deadLetters()).extracting(d -> d.errorType()).containsExactly(ErrorType.MALFORMED_XML);
        assertThat(q("SELECT status FROM cdc_orders")).containsExactly(row("status", "SHIPPED"));
        assertThat(q("SELECT * FROM cdc_order_items_extracted")).isEmpty();
        assertThat(q("SELECT error_message FROM cdc_dlq").toString()).doesNotContain("root:");

        writer.apply(4, List.of(message(ORDERS, Operation.UPDATE, ORDER, order(10, 1, "SHIPPED", one), 400),
                message(ORDERS, Operation.DELETE, ORDER, order(10, 1, "SHIPPED", one), 500)));
        assertThat(q("SELECT * FROM cdc_order_items_extracted")).isEmpty();
    }

    @Test
    void unreadableMessagesAndRowsTheDatabaseRefusesAreDeadLettersAndTheRestLands() throws Exception {
        List<BrokerMessage> batch = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            // a NUL character is valid JSON and valid Java, but PostgreSQL text refuses it: only the database knows
            String name = id == 13 ? "Bad\u0000Name" : "Customer " + id;
            batch.add(message(CUSTOMERS, Operation.CREATE, CUSTOMER, customer(id, name, "GOLD"), 100 + id));
        }
        batch.add(new BrokerMessage("cdc/oracle/SALES/CUSTOMERS/insert",
                Map.of(MessageProperties.KEY, "{\"CUSTOMER_ID\":99}"), "{not json".getBytes(StandardCharsets.UTF_8)));
        BatchResult result = writer.apply(1, batch);
        assertThat(result.deadLetters()).extracting(d -> d.errorType())
                .containsExactlyInAnyOrder(ErrorType.MALFORMED_JSON, ErrorType.REJECTED_BY_DATABASE);
        assertThat(q("SELECT count(*) AS n FROM cdc_customers")).containsExactly(row("n", 19L));
        assertThat(q("SELECT error_type, topic, retry_count FROM cdc_dlq ORDER BY error_type")).containsExactly(
                row("error_type", "MALFORMED_JSON", "topic", "cdc/oracle/SALES/CUSTOMERS/insert", "retry_count", 0),
                row("error_type", "REJECTED_BY_DATABASE", "topic", "cdc/oracle/SALES/CUSTOMERS/insert", "retry_count", 0));
        writer.apply(2, batch); // redelivered: the same dead letters count a retry, no new rows
        assertThat(q("SELECT retry_count FROM cdc_dlq")).containsOnly(row("retry_count", 1));
    }

    @Test
    void twoWritersAddingTheSameColumnAtOnceBothSucceed() throws Exception {
        ConnectSchema evolved = schema(CUSTOMERS, fields("CUSTOMER_ID", INT64, "NAME", STRING, "SEGMENT", STRING));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<BatchResult>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                OdsWriter each = new OdsWriter(db.dataSource(), TestOds.options("writer-" + w));
                long id = w + 1;
                tasks.add(() -> each.apply(1, List.of(message(CUSTOMERS, Operation.CREATE, evolved,
                        row("CUSTOMER_ID", id, "NAME", "N" + id, "SEGMENT", "S" + id), 100 + id))));
            }
            for (Future<BatchResult> f : pool.invokeAll(tasks)) {
                assertThat(f.get().deadLetters()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(q("SELECT customer_id, segment FROM cdc_customers ORDER BY 1"))
                .containsExactly(row("customer_id", 1L, "segment", "S1"), row("customer_id", 2L, "segment", "S2"));
        assertThat(q("SELECT count(*) AS n FROM cdc_schema_changes WHERE column_name = 'segment'")).containsExactly(row("n", 1L));
    }
}
