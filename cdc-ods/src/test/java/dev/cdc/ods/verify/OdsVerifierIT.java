package dev.cdc.ods.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.common.truth.TruthWriter;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier against a real PostgreSQL with the ODS migrations: a small truth and an ODS filled by hand to match it,
 * then one thing broken per test.
 */
class OdsVerifierIT {

    private static final TableId ORDERS = new TableId("SALES", "ORDERS");
    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static EmbeddedPostgres postgres;
    private static OdsDatabase ods;
    private static SourceTruth truth;

    @BeforeAll
    static void startOds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        postgres = EmbeddedPostgres.start("127.0.0.1", port, shared.resolve("data"), shared.resolve("work"));
        postgres.ensureDatabase("ods", "ods_user", "ods-pass");
        ods = OdsDatabase.connect(postgres.jdbcUrl("ods"), "ods_user", "ods-pass", 2);
        ods.migrate();
        // columns that schema changes add at run time: a new scalar and a nested struct (JSONB)
        sql("ALTER TABLE cdc_customers ADD COLUMN IF NOT EXISTS loyalty_points bigint,"
                + " ADD COLUMN IF NOT EXISTS address jsonb");
        truth = writeTruth(shared.resolve("truth"), Map.of());
    }

    @AfterAll
    static void stopOds() throws Exception {
        if (ods != null) {
            ods.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The ODS exactly as the truth wants it, in the forms PostgreSQL holds (49.9 for 49.90, timestamps, JSONB). */
    @BeforeEach
    void fillOdsToMatchTheTruth() throws Exception {
        sql("TRUNCATE cdc_orders, cdc_customers, cdc_order_items_extracted, cdc_customer_addresses_extracted,"
                + " cdc_orders_enriched");
        sql("INSERT INTO cdc_orders (order_id, customer_id, order_date, status, total_amount, created_at, updated_at,"
                + " _source_scn, _source_seq, _op, _deleted) VALUES"
                + " (1001, 2001, '2026-01-05 08:00:01.123456', 'NEW', 49.9, '2026-01-05 08:00:01', NULL, 100, 1, 'c', false),"
                + " (1002, 2001, '2026-01-05 09:30:00', 'PAID', 10, '2026-01-05 09:30:00', '2026-01-06 10:00:00', 101, 1, 'u', false),"
                + " (1003, NULL, NULL, NULL, NULL, NULL, NULL, 102, 1, 'd', true)");
        sql("INSERT INTO cdc_customers (customer_id, name, email, tier, region, created_at, loyalty_points, address,"
                + " _source_scn, _source_seq, _op) VALUES (2001, 'Ada', 'ada@example.com', 'gold', 'EU',"
                + " '2025-12-01 00:00:00', 120, '{\"street\": \"Main 1\", \"zip\": \"1000\", \"geo\": {\"lat\": 52.5}}',"
                + " 90, 1, 'r')");
        sql("INSERT INTO cdc_order_items_extracted (order_id, line_no, product_id, quantity, unit_price, _source_scn,"
                + " _source_seq) VALUES (1001, 1, 3001, 2, 19.95, 100, 1), (1001, 2, 3002, 1, 9.99, 100, 1)");
        sql("INSERT INTO cdc_customer_addresses_extracted (customer_id, line_no, address_type, street, city, zip,"
                + " _source_scn, _source_seq) VALUES (2001, 1, 'shipping', 'Main 1', 'Town', '1000', 90, 1)");
        for (Map<String, Object> order : truth.enriched()) {
            try (Connection c = ods.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_orders_enriched (order_id, customer_id,"
                         + " customer_tier, item_count, items_total, enriched) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setObject(1, order.get("order_id"));
                ps.setObject(2, order.get("customer_id"));
                ps.setObject(3, order.get("customer_tier"));
                ps.setObject(4, order.get("item_count"));
                ps.setObject(5, order.get("items_total"), java.sql.Types.NUMERIC); // 0 reads back as a Long
                ps.setString(6, DebeziumJsonCodec.mapper().writeValueAsString(order));
                ps.executeUpdate();
                c.commit();
            }
        }
    }

    @Test
    void anOdsHoldingExactlyTheTruthMatches() throws Exception {
        VerificationReport report = verify(truth);
        assertThat(report.matches()).as(report.render()).isTrue();
        assertThat(report.tables()).extracting(TableResult::table).containsExactly("cdc_orders", "cdc_customers",
                "cdc_order_items_extracted", "cdc_customer_addresses_extracted", "cdc_orders_enriched");
        TableResult orders = report.table("cdc_orders").orElseThrow();
        assertThat(orders.expected()).isEqualTo(3);
        assertThat(orders.found()).isEqualTo(3);
        assertThat(report.render()).contains("MATCH: the ODS holds exactly the truth (5 tables)");
    }

    @Test
    void aMissingRowIsNamedByItsKey() throws Exception {
        sql("DELETE FROM cdc_orders WHERE order_id = 1002");
        TableResult orders = verify(truth).table("cdc_orders").orElseThrow();
        assertThat(orders.missing()).isEqualTo(1);
        assertThat(orders.found()).isEqualTo(2);
        assertThat(orders.missingExamples()).extracting(TableResult.Example::key).containsExactly("order_id=1002");
    }

    @Test
    void anExtraRowIsNamedByItsKey() throws Exception {
        sql("INSERT INTO cdc_orders (order_id, status, _source_scn, _source_seq, _op) VALUES (1099, 'NEW', 200, 1, 'c')");
        VerificationReport report = verify(truth);
        TableResult orders = report.table("cdc_orders").orElseThrow();
        assertThat(orders.extra()).isEqualTo(1);
        assertThat(orders.extraExamples()).extracting(TableResult.Example::key).containsExactly("order_id=1099");
        assertThat(report.matches()).isFalse();
        assertThat(report.render()).contains("  extra      order_id=1099");
    }

    @Test
    void aDifferentValueNamesTheColumnAndBothValues() throws Exception {
        sql("UPDATE cdc_orders SET status = 'SHIPPED', total_amount = 49.95 WHERE order_id = 1001");
        VerificationReport report = verify(truth);
        TableResult orders = report.table("cdc_orders").orElseThrow();
        assertThat(orders.different()).isEqualTo(1);
        TableResult.Example example = orders.differentExamples().get(0);
        assertThat(example.key()).isEqualTo("order_id=1001");
        assertThat(example.differences()).containsExactly(
                new TableResult.Difference("status", "\"NEW\"", "\"SHIPPED\""),
                new TableResult.Difference("total_amount", "49.90", "49.95"));
        assertThat(report.render()).contains(
                "different  order_id=1001: status expected \"NEW\", found \"SHIPPED\"; total_amount expected 49.90, found 49.95");
    }

    @Test
    void aRowLiveInTheOdsButDeletedInTheTruthIsAMissingTombstone() throws Exception {
        sql("UPDATE cdc_orders SET _deleted = false, status = 'NEW' WHERE order_id = 1003");
        TableResult orders = verify(truth).table("cdc_orders").orElseThrow();
        assertThat(orders.different()).isEqualTo(1);
        assertThat(orders.differentExamples().get(0).differences())
                .containsExactly(new TableResult.Difference("_deleted", "true", "false"));
    }

    @Test
    void aTombstoneAbsentFromTheOdsIsMissing() throws Exception {
        sql("DELETE FROM cdc_orders WHERE order_id = 1003");
        TableResult orders = verify(truth).table("cdc_orders").orElseThrow();
        assertThat(orders.missingExamples()).containsExactly(new TableResult.Example("order_id=1003", "tombstone", List.of()));
    }

    @Test
    void aTombstoneWhereTheTruthHasALiveRowDiffersOnlyInDeleted() throws Exception {
        sql("UPDATE cdc_orders SET _deleted = true, status = NULL WHERE order_id = 1002");
        TableResult orders = verify(truth).table("cdc_orders").orElseThrow();
        assertThat(orders.differentExamples().get(0).differences())
                .containsExactly(new TableResult.Difference("_deleted", "false", "true"));
    }

    @Test
    void aMissingExtractedRowIsNamedByItsCompositeKey() throws Exception {
        sql("DELETE FROM cdc_order_items_extracted WHERE order_id = 1001 AND line_no = 2");
        TableResult extracted = verify(truth).table("cdc_order_items_extracted").orElseThrow();
        assertThat(extracted.source()).isEqualTo("extracted");
        assertThat(extracted.missing()).isEqualTo(1);
        assertThat(extracted.missingExamples()).extracting(TableResult.Example::key).containsExactly("order_id=1001, line_no=2");
    }

    @Test
    void aDifferentEnrichedOrderNamesTheFieldsInsideTheJson() throws Exception {
        sql("UPDATE cdc_orders_enriched SET enriched = jsonb_set(jsonb_set(enriched, '{customer_tier}', '\"silver\"'),"
                + " '{items,0,quantity}', '3') WHERE order_id = 1001");
        TableResult enriched = verify(truth).table("cdc_orders_enriched").orElseThrow();
        assertThat(enriched.different()).isEqualTo(1);
        assertThat(enriched.differentExamples().get(0).differences()).containsExactly(
                new TableResult.Difference("enriched.customer_tier", "\"gold\"", "\"silver\""),
                new TableResult.Difference("enriched.items[0].quantity", "2", "3"));
    }

    @Test
    void theEnrichedTableHoldsExactlyTheLiveOrders() throws Exception {
        sql("INSERT INTO cdc_orders_enriched (order_id, item_count, items_total, enriched)"
                + " VALUES (1003, 0, 0, '{\"order_id\": 1003}')");
        TableResult enriched = verify(truth).table("cdc_orders_enriched").orElseThrow();
        assertThat(enriched.extraExamples()).extracting(TableResult.Example::key).containsExactly("order_id=1003");
    }

    @Test
    void numbersCompareByValueNotByScaleOrType() throws Exception {
        // the fixture holds 49.9 (truth 49.90), an integer quantity (truth a JSON number) and 52.5 inside JSONB (truth 52.50)
        assertThat(verify(truth).matches()).isTrue();
        sql("UPDATE cdc_orders SET total_amount = 49.900 WHERE order_id = 1001");
        sql("UPDATE cdc_customers SET address = jsonb_set(address, '{geo,lat}', '52.500')");
        assertThat(verify(truth).matches()).isTrue();

        sql("UPDATE cdc_order_items_extracted SET unit_price = 19.951 WHERE line_no = 1");
        TableResult extracted = verify(truth).table("cdc_order_items_extracted").orElseThrow();
        assertThat(extracted.differentExamples().get(0).differences())
                .containsExactly(new TableResult.Difference("unit_price", "19.95", "19.951"));
    }

    @Test
    void timestampsCompareAsDateTimesToTheMicrosecond() throws Exception {
        sql("UPDATE cdc_orders SET order_date = '2026-01-05 08:00:01.123457' WHERE order_id = 1001");
        TableResult orders = verify(truth).table("cdc_orders").orElseThrow();
        assertThat(orders.differentExamples().get(0).differences()).containsExactly(new TableResult.Difference(
                "order_date", "\"2026-01-05T08:00:01.123456\"", "2026-01-05T08:00:01.123457"));

        // order 1002's truth text "2026-01-05T09:30" (no seconds) matched the timestamp 09:30:00 throughout
        sql("UPDATE cdc_orders SET order_date = '2026-01-05 08:00:01.123456' WHERE order_id = 1001");
        assertThat(verify(truth).matches()).isTrue();
    }

    @Test
    void aNestedColumnAddedAtRunTimeIsComparedFieldByField() throws Exception {
        sql("UPDATE cdc_customers SET address = jsonb_set(address, '{zip}', '\"9999\"'), loyalty_points = 7");
        TableResult customers = verify(truth).table("cdc_customers").orElseThrow();
        assertThat(customers.differentExamples().get(0).differences()).containsExactly(
                new TableResult.Difference("loyalty_points", "120", "7"),
                new TableResult.Difference("address.zip", "\"1000\"", "\"9999\""));
    }

    @Test
    void aTableTheOdsNeverCreatedCountsEveryRowMissingWithANote() throws Exception {
        TableId warehouses = new TableId("SALES", "WAREHOUSES");
        SourceTruth withWarehouses = writeTruth(dir, Map.of(warehouses, List.of(
                live(Map.of("WAREHOUSE_ID", 1L), row("WAREHOUSE_ID", 1L, "CITY", "Oslo")),
                live(Map.of("WAREHOUSE_ID", 2L), row("WAREHOUSE_ID", 2L, "CITY", "Rome")))));
        VerificationReport report = verify(withWarehouses);
        TableResult result = report.table("cdc_warehouses").orElseThrow();
        assertThat(result.missing()).isEqualTo(2);
        assertThat(result.found()).isZero();
        assertThat(result.notes()).singleElement().asString().contains("cdc_warehouses does not exist");
        assertThat(report.render()).contains("note: table cdc_warehouses does not exist");
    }

    @Test
    void theTableMappingNamesTheStateTable() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS my_orders (LIKE cdc_orders INCLUDING ALL)");
        sql("TRUNCATE my_orders");
        sql("INSERT INTO my_orders SELECT * FROM cdc_orders");
        sql("TRUNCATE cdc_orders");
        VerificationReport report = new OdsVerifier(ods.dataSource(),
                new TableMapping(Map.of(ORDERS, new SqlIdentifier("my_orders")))).verify(truth);
        assertThat(report.matches()).as(report.render()).isTrue();
    }

    @Test
    void aHundredThousandRowsVerifyInSeconds() throws Exception {
        int n = 100_000;
        sql("INSERT INTO cdc_orders (order_id, customer_id, order_date, status, total_amount, created_at,"
                + " _source_scn, _source_seq, _op) SELECT 10000 + i, 2001, '2026-01-05 08:00:00'::timestamp"
                + " + i * interval '1 second', 'NEW', i / 100.0, '2026-01-05 08:00:00', 100, i, 'c'"
                + " FROM generate_series(1, " + n + ") AS i");
        List<TruthRow> rows = new ArrayList<>(truth.tables().get(ORDERS));
        LongStream.rangeClosed(1, n).forEach(i -> rows.add(live(Map.of("ORDER_ID", 10000 + i), row(
                "ORDER_ID", 10000 + i, "CUSTOMER_ID", 2001L,
                "ORDER_DATE", java.time.LocalDateTime.parse("2026-01-05T08:00:00").plusSeconds(i).toString(),
                "STATUS", "NEW", "TOTAL_AMOUNT", BigDecimal.valueOf(i, 2), "CREATED_AT", "2026-01-05T08:00:00",
                "UPDATED_AT", null))));
        SourceTruth big = writeTruth(dir, Map.of(ORDERS, rows));
        long started = System.nanoTime();
        VerificationReport report = verify(big);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(report.matches()).as(report.render()).isTrue();
        assertThat(report.table("cdc_orders").orElseThrow().found()).isEqualTo(n + 3);
        // about 2 s cold and 0.6 s warm here; the bound leaves room for a busy machine
        assertThat(millis).as("verify of %d rows took %d ms", n, millis).isLessThan(10_000);
    }

    // ------------------------------------------------------------------ fixture

    private static VerificationReport verify(SourceTruth t) throws SQLException {
        return new OdsVerifier(ods.dataSource(), TableMapping.defaults()).verify(t);
    }

    /** The base truth; {@code replaced} swaps or adds the rows of source tables. */
    private static SourceTruth writeTruth(Path target, Map<TableId, List<TruthRow>> replaced) throws Exception {
        Map<String, Object> order1001 = row("ORDER_ID", 1001L, "CUSTOMER_ID", 2001L, "ORDER_DATE", "2026-01-05T08:00:01.123456",
                "STATUS", "NEW", "TOTAL_AMOUNT", new BigDecimal("49.90"), "CREATED_AT", "2026-01-05T08:00:01",
                "UPDATED_AT", null, "SHIPPING_INFO", "<shipping><item product=\"3001\"/></shipping>");
        Map<String, Object> order1002 = row("ORDER_ID", 1002L, "CUSTOMER_ID", 2001L, "ORDER_DATE", "2026-01-05T09:30",
                "STATUS", "PAID", "TOTAL_AMOUNT", new BigDecimal("10.00"), "CREATED_AT", "2026-01-05T09:30:00",
                "UPDATED_AT", "2026-01-06T10:00:00", "SHIPPING_INFO", null);
        Map<TableId, List<TruthRow>> tables = new LinkedHashMap<>();
        tables.put(ORDERS, List.of(live(Map.of("ORDER_ID", 1001L), order1001), live(Map.of("ORDER_ID", 1002L), order1002),
                new TruthRow(Map.of("ORDER_ID", 1003L), true, new Position(102, 1), null)));
        tables.put(CUSTOMERS, List.of(live(Map.of("CUSTOMER_ID", 2001L), row("CUSTOMER_ID", 2001L, "NAME", "Ada",
                "EMAIL", "ada@example.com", "TIER", "gold", "REGION", "EU", "CREATED_AT", "2025-12-01T00:00:00",
                "ADDRESSES", "<addresses/>", "LOYALTY_POINTS", 120L,
                "ADDRESS", row("street", "Main 1", "zip", "1000", "geo", row("lat", new BigDecimal("52.50")))))));
        tables.putAll(replaced);

        TruthWriter w = new TruthWriter(target);
        for (Map.Entry<TableId, List<TruthRow>> e : tables.entrySet()) {
            String key = e.getValue().get(0).key().keySet().iterator().next();
            List<String> xml = e.getKey().equals(ORDERS) ? List.of("SHIPPING_INFO")
                    : e.getKey().equals(CUSTOMERS) ? List.of("ADDRESSES") : List.of();
            w.table(e.getKey(), List.of(key), xml, e.getValue());
        }
        w.extracted("cdc_order_items_extracted", List.of("order_id", "line_no"), List.of(
                row("order_id", 1001L, "line_no", 1L, "product_id", 3001L, "quantity", 2L, "unit_price", new BigDecimal("19.95")),
                row("order_id", 1001L, "line_no", 2L, "product_id", 3002L, "quantity", 1L, "unit_price", new BigDecimal("9.99"))));
        w.extracted("cdc_customer_addresses_extracted", List.of("customer_id", "line_no"), List.of(
                row("customer_id", 2001L, "line_no", 1L, "address_type", "shipping", "street", "Main 1", "city", "Town", "zip", "1000")));
        w.enriched(List.of(
                enriched(order1001, List.of(row("item_id", 5001L, "product_id", 3001L, "quantity", 2L,
                        "unit_price", new BigDecimal("19.95"), "subtotal", new BigDecimal("39.90"), "product_name", "Pen"))),
                enriched(order1002, List.of())));
        w.deadLetters(List.of());
        w.manifest(Map.of("seed", 1));
        return SourceTruth.read(target);
    }

    private static Map<String, Object> enriched(Map<String, Object> order, List<Map<String, Object>> items) {
        Map<String, Object> e = new LinkedHashMap<>();
        order.forEach((k, v) -> {
            if (!k.equals("SHIPPING_INFO")) {
                e.put(k.toLowerCase(java.util.Locale.ROOT), v);
            }
        });
        e.put("customer_name", "Ada");
        e.put("customer_tier", "gold");
        e.put("item_count", (long) items.size());
        e.put("items_total", items.stream().map(i -> (BigDecimal) i.get("subtotal")).reduce(BigDecimal.ZERO, BigDecimal::add));
        e.put("items", items);
        return e;
    }

    private static TruthRow live(Map<String, Object> key, Map<String, Object> row) {
        return new TruthRow(key, false, new Position(100, 1), row);
    }

    /** An ordered map that takes nulls: name, value, name, value ... */
    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = ods.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
            c.commit();
        }
    }
}
