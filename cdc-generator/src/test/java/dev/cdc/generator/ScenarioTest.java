package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthJson;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.generator.xml.Addresses;
import dev.cdc.generator.xml.ShippingInfo;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each scenario of DESIGN section 8 that the source plays produces what its row promises, in the messages and in
 * the truth. The run has a large snapshot and a short random tail after the scenarios: a row a scenario touched may
 * still change afterwards, so the truth is compared with the row's newest event, and where the scenario's own value
 * matters (S4) the test checks that nothing changed the row since.
 */
class ScenarioTest {

    private static GeneratedRun run;
    private static SourceTruth truth;
    /** The events of each played scenario's transaction, by scenario (S1-S6, X1-X8: one transaction each). */
    private static final Map<Scenario, List<ChangeEvent>> played = new EnumMap<>(Scenario.class);
    /** First deliveries of change events (op c/u/d), in emission order, without re-sent duplicates. */
    private static final List<ChangeEvent> changes = new ArrayList<>();

    @BeforeAll
    static void generate() {
        run = GeneratedRun.of(GeneratorConfig.builder()
                .seed(Runs.SEED)
                .rate(Rate.MAX)
                .scenarios(Scenario.parseList("all"))
                .snapshotOrders(1_000)
                .events(5_000L)
                .build());
        truth = run.truth();
        Set<String> seen = new HashSet<>();
        Map<String, List<ChangeEvent>> byTx = new LinkedHashMap<>();
        for (GeneratedRun.Delivered d : run.delivered()) {
            ChangeEvent e = d.event();
            if (e != null && e.op() != Operation.READ && seen.add(e.table() + d.key() + e.position())) {
                changes.add(e);
                byTx.computeIfAbsent(e.source().txId(), tx -> new ArrayList<>()).add(e);
            }
        }
        List<List<ChangeEvent>> transactions = new ArrayList<>(byTx.values());
        int i = 0;
        for (Scenario s : EnumSet.range(Scenario.S1, Scenario.X8)) {
            played.put(s, transactions.get(i++));
        }
    }

    private static ChangeEvent only(Scenario scenario) {
        assertThat(played.get(scenario)).as(scenario.name()).hasSize(1);
        return played.get(scenario).get(0);
    }

    private static long key(ChangeEvent e) {
        return ((Number) e.row().get(SalesSchema.table(e.table().table()).keyColumn())).longValue();
    }

    private static TruthRow truthRow(TableId table, long key) {
        String keyColumn = SalesSchema.table(table.table()).keyColumn();
        return truth.tables().get(table).stream()
                .filter(r -> ((Number) r.key().get(keyColumn)).longValue() == key)
                .findFirst().orElseThrow(() -> new AssertionError(table + " " + key + " not in the truth"));
    }

    /** The newest change event of a row (by position). */
    private static ChangeEvent newest(ChangeEvent e) {
        return later(e.table(), e.position()).stream().filter(l -> key(l) == key(e))
                .max(Comparator.comparing(ChangeEvent::position)).orElse(e);
    }

    /** The live truth row of a scenario's row. */
    private static Map<String, Object> liveTruthRow(ChangeEvent e) {
        TruthRow row = truthRow(e.table(), key(e));
        assertThat(row.deleted()).as("%s %d deleted later", e.table(), key(e)).isFalse();
        assertThat(row.position()).isEqualTo(newest(e).position());
        return row.row();
    }

    /** The truth row of a scenario's row, which no later change touched (else the run is too long for the check). */
    private static TruthRow untouchedTruthRow(ChangeEvent e) {
        TruthRow row = truthRow(e.table(), key(e));
        assertThat(row.deleted()).as("%s %d deleted later", e.table(), key(e)).isFalse();
        assertThat(row.position()).as("%s %d changed after the scenario", e.table(), key(e)).isEqualTo(e.position());
        return row;
    }

    private static List<Map<String, Object>> extracted(String target, String parent, long key) {
        return truth.extracted().get(target).stream().filter(r -> ((Number) r.get(parent)).longValue() == key).toList();
    }

    private static List<Map<String, Object>> orderItems(long order) {
        return extracted(ShippingInfo.TARGET_TABLE, "order_id", order);
    }

    /** The change events of a table after (by position) the given one. */
    private static List<ChangeEvent> later(TableId table, Position after) {
        return changes.stream().filter(e -> e.table().equals(table) && e.position().isAfter(after)).toList();
    }

    private static List<ChangeEvent> earlier(TableId table, Position before) {
        List<ChangeEvent> out = new ArrayList<>();
        for (GeneratedRun.Delivered d : run.delivered()) {
            if (d.event() != null && d.event().table().equals(table) && before.isAfter(d.event().position())) {
                out.add(d.event());
            }
        }
        return out;
    }

    private static boolean hasField(ChangeEvent e, String column) {
        return e.valueSchema().field(column).isPresent();
    }

    // ------------------------------------------------------------------ schema scenarios

    @Test
    void S1_newColumnLoyaltyPointsIsInTheSchemaFromThenOnAndInTheTruth() {
        ChangeEvent s1 = only(Scenario.S1);

        assertThat(s1.table()).isEqualTo(SalesSchema.CUSTOMERS);
        assertThat(s1.valueSchema().field("LOYALTY_POINTS").orElseThrow().schema().type()).isEqualTo(SchemaType.INT64);
        assertThat(s1.after().get("LOYALTY_POINTS")).isInstanceOf(Long.class);
        assertThat(earlier(SalesSchema.CUSTOMERS, s1.position())).hasSizeGreaterThan(100).noneMatch(e -> hasField(e, "LOYALTY_POINTS"));
        assertThat(later(SalesSchema.CUSTOMERS, s1.position())).hasSizeGreaterThan(10).allMatch(e -> hasField(e, "LOYALTY_POINTS"));
        assertThat(liveTruthRow(s1).get("LOYALTY_POINTS")).isNotNull().isEqualTo(newest(s1).after().get("LOYALTY_POINTS"));
        assertThat(truth.tables().get(SalesSchema.CUSTOMERS)).filteredOn(r -> !r.deleted())
                .allMatch(r -> r.row().containsKey("LOYALTY_POINTS"));
    }

    @Test
    void S2_emailDisappearsFromLaterSchemasAndIsNullInTheTruthForRowsChangedAfterwards() {
        ChangeEvent s2 = only(Scenario.S2);

        assertThat(s2.table()).isEqualTo(SalesSchema.CUSTOMERS);
        assertThat(hasField(s2, "EMAIL")).isFalse();
        assertThat(earlier(SalesSchema.CUSTOMERS, s2.position())).allMatch(e -> hasField(e, "EMAIL"));
        assertThat(later(SalesSchema.CUSTOMERS, s2.position())).hasSizeGreaterThan(10)
                .noneMatch(e -> hasField(e, "EMAIL") || e.row().containsKey("EMAIL"));
        List<TruthRow> live = truth.tables().get(SalesSchema.CUSTOMERS).stream().filter(r -> !r.deleted()).toList();
        List<TruthRow> changedAfter = live.stream().filter(r -> !s2.position().isAfter(r.position())).toList();
        List<TruthRow> untouched = live.stream().filter(r -> s2.position().isAfter(r.position())).toList();
        assertThat(changedAfter).hasSizeGreaterThan(10).allMatch(r -> r.row().containsKey("EMAIL") && r.row().get("EMAIL") == null);
        // rows nobody changed since keep the e-mail they had: a removed column is not a cleared one
        assertThat(untouched).hasSizeGreaterThan(100).allMatch(r -> r.row().get("EMAIL") instanceof String);
    }

    @Test
    void S3_threeNewProductColumnsAtOnce() {
        ChangeEvent s3 = only(Scenario.S3);

        assertThat(s3.table()).isEqualTo(SalesSchema.PRODUCTS);
        ConnectSchema weight = s3.valueSchema().field("WEIGHT_KG").orElseThrow().schema();
        assertThat(weight.name()).isEqualTo("org.apache.kafka.connect.data.Decimal");
        assertThat(weight.parameter("scale")).isEqualTo("3");
        assertThat(s3.valueSchema().field("SUPPLIER").orElseThrow().schema().type()).isEqualTo(SchemaType.STRING);
        assertThat(s3.valueSchema().field("LAUNCHED_AT").orElseThrow().schema().name()).isEqualTo("io.debezium.time.MicroTimestamp");
        assertThat(earlier(SalesSchema.PRODUCTS, s3.position()))
                .noneMatch(e -> hasField(e, "WEIGHT_KG") || hasField(e, "SUPPLIER") || hasField(e, "LAUNCHED_AT"));
        assertThat(s3.after().get("WEIGHT_KG")).isInstanceOf(BigDecimal.class);
        assertThat(s3.after().get("SUPPLIER")).isInstanceOf(String.class);
        assertThat(s3.after().get("LAUNCHED_AT")).isInstanceOf(LocalDateTime.class);
        Map<String, Object> row = liveTruthRow(s3);
        Map<String, Object> newest = newest(s3).after();
        assertThat(row.get("WEIGHT_KG")).isEqualTo(newest.get("WEIGHT_KG")).isNotNull();
        assertThat(row.get("SUPPLIER")).isEqualTo(newest.get("SUPPLIER")).isNotNull();
        assertThat(row.get("LAUNCHED_AT")).isEqualTo(TruthJson.text((LocalDateTime) newest.get("LAUNCHED_AT")));
    }

    @Test
    void S4_stockQuantityIsWrittenAsTextWhileTheTruthHoldsTheNumber() {
        ChangeEvent s4 = only(Scenario.S4);
        int index = indexOf(s4);
        String body = run.delivered().get(index).message().bodyText();

        assertThat(s4.table()).isEqualTo(SalesSchema.PRODUCTS);
        assertThat(s4.valueSchema().field("STOCK_QTY").orElseThrow().schema().type()).isEqualTo(SchemaType.STRING);
        assertThat(s4.after().get("STOCK_QTY")).isEqualTo("100");
        assertThat(body).contains("\"STOCK_QTY\":\"100\"");
        assertThat(earlier(SalesSchema.PRODUCTS, s4.position()))
                .allMatch(e -> e.valueSchema().field("STOCK_QTY").orElseThrow().schema().type() == SchemaType.INT64);
        assertThat(later(SalesSchema.PRODUCTS, s4.position()))
                .allMatch(e -> e.valueSchema().field("STOCK_QTY").orElseThrow().schema().type() == SchemaType.STRING);
        assertThat(untouchedTruthRow(s4).row().get("STOCK_QTY")).isEqualTo(100L);
    }

    private static int indexOf(ChangeEvent e) {
        for (GeneratedRun.Delivered d : run.delivered()) {
            if (d.event() != null && d.event().table().equals(e.table()) && d.event().position().equals(e.position())) {
                return (int) d.index();
            }
        }
        throw new AssertionError("not delivered: " + e);
    }

    @Test
    void S5_addressIsANestedStructInTheEventAndAMapInTheTruth() {
        ChangeEvent s5 = only(Scenario.S5);

        ConnectSchema address = s5.valueSchema().field("ADDRESS").orElseThrow().schema();
        assertThat(address.type()).isEqualTo(SchemaType.STRUCT);
        assertThat(address.fields()).extracting(ConnectSchema.Field::name).containsExactly("CITY", "ZIP");
        assertThat(run.delivered().get(indexOf(s5)).message().bodyText()).containsPattern("\"ADDRESS\":\\{\"CITY\":\"[^\"]+\",\"ZIP\":\"[^\"]+\"}");
        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = (Map<String, Object>) s5.after().get("ADDRESS");
        assertThat(decoded).containsOnlyKeys("CITY", "ZIP").doesNotContainValue(null);
        assertThat(liveTruthRow(s5).get("ADDRESS")).isInstanceOf(Map.class).isEqualTo(newest(s5).after().get("ADDRESS"));
    }

    @Test
    void S6_newProductColumnBrandIsCarriedByTheEnrichedOrdersOfItsItems() {
        ChangeEvent s6 = only(Scenario.S6);
        long product = key(s6);
        String brand = (String) s6.after().get("BRAND");

        assertThat(s6.table()).isEqualTo(SalesSchema.PRODUCTS);
        assertThat(brand).isNotBlank();
        assertThat(liveTruthRow(s6).get("BRAND")).isEqualTo(newest(s6).after().get("BRAND")).isNotNull();
        String finalBrand = (String) liveTruthRow(s6).get("BRAND");
        List<TruthRow> items = truth.tables().get(SalesSchema.ORDER_ITEMS).stream()
                .filter(r -> !r.deleted() && ((Number) r.row().get("PRODUCT_ID")).longValue() == product).toList();
        assertThat(items).as("live items of product %d", product).isNotEmpty();
        for (TruthRow item : items) {
            long order = ((Number) item.row().get("ORDER_ID")).longValue();
            long itemId = ((Number) item.row().get("ITEM_ID")).longValue();
            Map<String, Object> enriched = truth.enriched().stream()
                    .filter(r -> ((Number) r.get("order_id")).longValue() == order).findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> lines = (List<Map<String, Object>>) enriched.get("items");
            assertThat(lines).filteredOn(l -> ((Number) l.get("item_id")).longValue() == itemId)
                    .singleElement().satisfies(l -> assertThat(l).containsEntry("product_brand", finalBrand));
        }
    }

    // ------------------------------------------------------------------ XML scenarios

    private static long order(Scenario scenario) {
        ChangeEvent e = only(scenario);
        assertThat(e.table()).isEqualTo(SalesSchema.ORDERS);
        assertThat(e.op()).isEqualTo(Operation.CREATE);
        // scenario orders are never deleted and their XML never replaced; other columns may change later
        liveTruthRow(e);
        assertThat(truthRow(SalesSchema.ORDERS, key(e)).row().get("SHIPPING_INFO")).isEqualTo(e.after().get("SHIPPING_INFO"));
        return key(e);
    }

    private static String shippingInfo(long order) {
        return (String) truthRow(SalesSchema.ORDERS, order).row().get("SHIPPING_INFO");
    }

    @Test
    void X1_anOrderWithThreeItemsYieldsThreeRows() {
        long order = order(Scenario.X1);

        assertThat(orderItems(order)).hasSize(3).allSatisfy(r -> assertThat(r.values()).doesNotContainNull());
        assertThat(orderItems(order)).extracting(r -> r.get("line_no")).containsExactly(1L, 2L, 3L);
        assertThat(XmlRows.shippingItems(order, shippingInfo(order))).hasSize(3);
    }

    @Test
    void X2_emptyItemsYieldNoRows() {
        long order = order(Scenario.X2);

        assertThat(shippingInfo(order)).contains("<items/>");
        assertThat(orderItems(order)).isEmpty();
        assertThat(XmlRows.shippingItems(order, shippingInfo(order))).isEmpty();
    }

    @Test
    void X3_malformedXmlIsADeadLetterWhileTheOrderItselfIsInTheTruth() {
        long order = order(Scenario.X3);

        assertThat(truthRow(SalesSchema.ORDERS, order).deleted()).isFalse();
        assertThat(XmlRows.wellFormed(shippingInfo(order))).isFalse();
        assertThat(orderItems(order)).isEmpty();
        assertThat(truth.deadLetters()).contains(new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/insert",
                Map.of("ORDER_ID", order), ExpectedDeadLetter.Reason.MALFORMED_XML));
    }

    @Test
    void X3_withOrdersNotCapturedNoMessageCarriesTheDocumentSoNoDeadLetterIsExpected(@TempDir Path dir) throws IOException {
        GeneratedRun uncaptured = GeneratedRun.generate(GeneratorConfig.builder().seed(Runs.SEED).rate(Rate.MAX)
                .tables(Set.of(SalesSchema.CUSTOMERS, SalesSchema.PRODUCTS)).scenarios(Set.of(Scenario.X3))
                .events(300L).build(), dir);

        assertThat(uncaptured.delivered()).noneMatch(d -> d.message().topic().contains("/ORDERS/"));
        assertThat(uncaptured.truth().deadLetters()).isEmpty();
    }

    @Test
    void X4_missingAttributesAreNullInTheirFields() {
        long order = order(Scenario.X4);
        List<Map<String, Object>> rows = orderItems(order);

        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).values()).doesNotContainNull();
        assertThat(rows.get(1)).containsEntry("quantity", null).doesNotContainEntry("product_id", null);
        assertThat(rows.get(2)).containsEntry("unit_price", null).doesNotContainEntry("quantity", null);
        assertThat(rows.get(3)).containsEntry("product_id", null).containsEntry("quantity", 1L)
                .containsEntry("unit_price", new BigDecimal("7.50"));
        assertThat(XmlRows.shippingItems(order, shippingInfo(order))).extracting(r -> r.get("quantity"))
                .containsExactly(2L, null, 4L, 1L);
    }

    @Test
    void X5_itemsInNestedPackagesAreAllExtracted() {
        long order = order(Scenario.X5);

        assertThat(shippingInfo(order)).contains("<packages><package id=\"PKG-1\"><items><item ")
                .contains("<package id=\"PKG-2\">");
        assertThat(orderItems(order)).hasSize(4);
        assertThat(XmlRows.shippingItems(order, shippingInfo(order))).hasSize(4);
    }

    @Test
    void X6_anOrderWith150ItemsAndAMultiMegabyteDocumentAreExtractedWhole() {
        List<ChangeEvent> x6 = played.get(Scenario.X6);
        assertThat(x6).hasSize(2).allMatch(e -> e.table().equals(SalesSchema.ORDERS) && e.op() == Operation.CREATE);
        long hundredFifty = key(x6.get(0));
        long large = key(x6.get(1));
        x6.forEach(ScenarioTest::liveTruthRow);

        assertThat(orderItems(hundredFifty)).hasSize(150);
        String document = shippingInfo(large);
        assertThat(document.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(2 * 1024 * 1024);
        assertThat(orderItems(large)).hasSize(25_000);
        assertThat(orderItems(large).get(24_999)).containsEntry("line_no", 25_000L);
        assertThat(run.delivered().get(indexOf(x6.get(1))).message().body().length).isGreaterThan(2 * 1024 * 1024);
    }

    @Test
    void X7_nullXmlColumnYieldsNoRowsAndNoError() {
        ChangeEvent x7 = only(Scenario.X7);
        long order = order(Scenario.X7);

        assertThat(x7.after()).containsEntry("SHIPPING_INFO", null);
        assertThat(truthRow(SalesSchema.ORDERS, order).row()).containsEntry("SHIPPING_INFO", null);
        assertThat(orderItems(order)).isEmpty();
        assertThat(truth.deadLetters()).noneMatch(l -> l.key() != null && Long.valueOf(order).equals(l.key().get("ORDER_ID")));
    }

    @Test
    void X8_nonAsciiTextIsIntactInTheFileTheDecodedEventAndTheTruth() throws IOException {
        List<ChangeEvent> x8 = played.get(Scenario.X8);
        ChangeEvent customer = x8.stream().filter(e -> e.table().equals(SalesSchema.CUSTOMERS)).findFirst().orElseThrow();
        ChangeEvent order = x8.stream().filter(e -> e.table().equals(SalesSchema.ORDERS)).findFirst().orElseThrow();
        String name = "Zoë Ångström-Müller 山田太郎 🚀";
        String line = Files.readAllLines(run.file, StandardCharsets.UTF_8).get(indexOf(customer));

        // accents and CJK are raw UTF-8; the emoji, outside the BMP, Jackson writes as a JSON surrogate pair escape
        // (as Kafka's JsonConverter does): either way a JSON reader gets the same text back
        assertThat(line).contains("Zoë Ångström-Müller 山田太郎 ", "Bahnhofstraße 7 ½", "千代田区丸の内1-1 ");
        assertThat(line.contains(name) || line.contains("山田太郎 \\uD83D\\uDE80")).as("emoji raw or escaped").isTrue();
        assertThat(new ObjectMapper().readTree(line).at("/body/payload/after/NAME").asText())
                .isEqualTo(name);
        assertThat(customer.after()).containsEntry("NAME", name);
        assertThat((String) customer.after().get("ADDRESSES")).contains("Bahnhofstraße 7 ½", "Rua São João, nº 5 — apto 🏠");
        assertThat((String) order.after().get("SHIPPING_INFO")).contains("<method>ÉCLAIR-EXPRÈS 🚚</method>");
        // scenario rows are never deleted and their XML never replaced
        assertThat(truthRow(SalesSchema.CUSTOMERS, key(customer)).row()).containsEntry("NAME", name)
                .containsEntry("ADDRESSES", customer.after().get("ADDRESSES"));
        assertThat(truthRow(SalesSchema.ORDERS, key(order)).row()).containsEntry("SHIPPING_INFO", order.after().get("SHIPPING_INFO"));
        assertThat(extracted(Addresses.TARGET_TABLE, "customer_id", key(customer)))
                .extracting(r -> r.get("street"), r -> r.get("city"))
                .containsExactly(tuple("Bahnhofstraße 7 ½", "Zürich"),
                        tuple("千代田区丸の内1-1 🏢", "東京"),
                        tuple("Rua São João, nº 5 — apto 🏠", "São Paulo"));
        assertThat(orderItems(key(order))).hasSize(2);
    }

    // ------------------------------------------------------------------ failure scenarios

    @Test
    void F6_threeMalformedBodiesFailToDecodeAndAreExpectedDeadLetters() {
        List<GeneratedRun.Delivered> malformed = run.delivered().stream().filter(d -> d.event() == null).toList();

        assertThat(malformed).hasSize(3).allSatisfy(d -> {
            assertThat(d.error()).isInstanceOf(MalformedEventException.class);
            assertThat(d.message().topic()).isEqualTo("cdc/oracle/SALES/ORDERS/insert");
            assertThatThrownBy(() -> new DebeziumJsonCodec().decode(d.message().body(), d.key()))
                    .isInstanceOf(MalformedEventException.class);
        });
        assertThat(malformed).extracting(d -> d.message().bodyText()).doesNotHaveDuplicates()
                .contains("this is not JSON at all");
        List<ExpectedDeadLetter> expected = malformed.stream().map(d -> new ExpectedDeadLetter(d.message().topic(),
                DebeziumJsonCodec.parseKey(d.key()), ExpectedDeadLetter.Reason.MALFORMED_JSON)).toList();
        assertThat(truth.deadLetters()).filteredOn(l -> l.reason() == ExpectedDeadLetter.Reason.MALFORMED_JSON)
                .containsExactlyInAnyOrderElementsOf(expected);
        // the run goes on after them
        assertThat(malformed.get(2).index()).isLessThan(run.delivered().size() - 100);
    }

    @Test
    void F10_someMessagesArriveTwiceAndSomeAfterANewerChangeOfTheirRow() {
        Map<String, Position> newest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        long late = 0;
        for (GeneratedRun.Delivered d : run.delivered()) {
            ChangeEvent e = d.event();
            if (e == null) {
                continue;
            }
            String row = e.table() + d.key();
            if (!seen.add(row + "@" + e.position())) {
                duplicates++;
            }
            Position previous = newest.get(row);
            if (previous != null && previous.isAfter(e.position())) {
                late++;
            } else {
                newest.put(row, e.position());
            }
        }

        assertThat(duplicates).isPositive().isEqualTo(run.summary.duplicates());
        assertThat(late).isPositive();
        assertThat(truth.manifest().path("producer").path("duplicates_sent").asLong()).isEqualTo(duplicates);
    }

    // ------------------------------------------------------------------ choosing scenarios

    @Test
    void scenariosAreChosenByIdOrNameInAnyCaseWithSpaces() {
        assertThat(Scenario.parseList("S1")).containsExactly(Scenario.S1);
        assertThat(Scenario.parseList(" s4 , new-column,XML-NULL ,f10")).containsExactly(Scenario.S1, Scenario.S4, Scenario.X7, Scenario.F10);
        assertThat(Scenario.parseList("late-duplicates,F10")).containsExactly(Scenario.F10);
        for (Scenario s : Scenario.values()) {
            assertThat(Scenario.parseList(s.label())).containsExactly(s);
            assertThat(Scenario.parse(s.name().toLowerCase(Locale.ROOT))).isEqualTo(s);
        }
    }

    @Test
    void groupsSelectSeveralScenarios() {
        assertThat(Scenario.parseList("schema")).containsExactly(Scenario.S1, Scenario.S2, Scenario.S3, Scenario.S4,
                Scenario.S5, Scenario.S6);
        assertThat(Scenario.parseList("xml")).hasSize(8).allMatch(s -> s.name().startsWith("X"));
        assertThat(Scenario.parseList("all")).containsExactlyInAnyOrder(Scenario.values()).contains(Scenario.F6, Scenario.F10);
        assertThat(Scenario.parseList("schema,F6")).hasSize(7).contains(Scenario.F6);
        assertThat(Scenario.parseList("")).isEmpty();
        assertThat(Scenario.parseList(null)).isEmpty();
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> Scenario.parseList("S1,S9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scenario \"S9\"")
                .hasMessageContaining("S1-S6, X1-X8, F6, F10")
                .hasMessageContaining("new-column")
                .hasMessageContaining("schema, xml, all");
        assertThatThrownBy(() -> Scenario.parseList("S1,,S2")).hasMessageContaining("unknown scenario \"\"");
    }
}
