package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.TableId;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.generator.xml.Addresses;
import dev.cdc.generator.xml.ShippingInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The truth is what a correct consumer of the generated messages ends with: every table, the enriched orders, the
 * rows extracted from the XML columns and the dead letters, each recomputed here from the messages alone (see
 * {@link Replay}, {@link XmlRows}) and compared row by row. Runs every scenario, late duplicates and malformed
 * bodies included, in each decimal mode.
 */
class TruthReplayTest {

    private static final Map<DecimalMode, Replay> REPLAYS = new EnumMap<>(DecimalMode.class);

    private static synchronized Replay replay(DecimalMode mode) {
        return REPLAYS.computeIfAbsent(mode, m -> Replay.of(Runs.allScenariosRun(m)));
    }

    private static SourceTruth truth(DecimalMode mode) {
        return Runs.allScenariosRun(mode).truth();
    }

    private static TruthValues.Differences compareTables(SourceTruth truth, Replay replay, DecimalMode mode) {
        TruthValues.Differences differences = new TruthValues.Differences(mode);
        for (Map.Entry<TableId, List<TruthRow>> table : truth.tables().entrySet()) {
            TableId id = table.getKey();
            String keyColumn = SalesSchema.table(id.table()).keyColumn();
            Map<Long, Replay.Row> replayed = replay.rows(id);
            Map<Long, Map<String, Object>> live = replay.liveRows(id);
            Set<Long> truthKeys = new LinkedHashSet<>();
            for (TruthRow expected : table.getValue()) {
                long key = ((Number) expected.key().get(keyColumn)).longValue();
                truthKeys.add(key);
                String path = id + "[" + key + "]";
                Replay.Row actual = replayed.get(key);
                if (actual == null) {
                    differences.add(path + ": in the truth, never in the messages");
                    continue;
                }
                if (expected.deleted() != actual.deleted()) {
                    differences.add(path + ": deleted " + expected.deleted() + " in the truth, " + actual.deleted() + " replayed");
                    continue;
                }
                if (!expected.position().equals(actual.position)) {
                    differences.add(path + ": position " + expected.position() + " in the truth, " + actual.position + " replayed");
                }
                if (!expected.deleted()) {
                    if (!expected.row().keySet().equals(new LinkedHashSet<>(replay.columns(id)))) {
                        differences.add(path + ": columns " + expected.row().keySet() + " in the truth, "
                                + replay.columns(id) + " in the events");
                    }
                    differences.compareRows(path, expected.row(), (Map<?, ?>) TruthValues.canonical(live.get(key)));
                }
            }
            for (Long key : replayed.keySet()) {
                if (!truthKeys.contains(key)) {
                    differences.add(id + "[" + key + "]: in the messages, not in the truth");
                }
            }
        }
        return differences;
    }

    // ------------------------------------------------------------------ tables

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void everyTableOfTheTruthIsTheReplayOfTheMessages(DecimalMode mode) {
        SourceTruth truth = truth(mode);
        Replay replay = replay(mode);

        TruthValues.Differences differences = compareTables(truth, replay, mode);

        assertThat(differences.first()).as("%s", differences).isEmpty();
        assertThat(truth.tables().keySet()).containsExactlyInAnyOrder(SalesSchema.ORDERS, SalesSchema.ORDER_ITEMS,
                SalesSchema.CUSTOMERS, SalesSchema.PRODUCTS, SalesSchema.AUDIT_LOG);
        assertThat(differences.compared()).isGreaterThan(20_000);
        // the replay went through every rule: late and duplicate messages, kept LOBs, tombstones, the S4 text
        assertThat(replay.ignoredAsNotNewer()).isPositive();
        assertThat(replay.unavailableKept()).isPositive();
        assertThat(replay.coercedToNumber()).isPositive();
        assertThat(truth.tables().values().stream().flatMap(List::stream).filter(TruthRow::deleted).count()).isGreaterThan(100);
    }

    @Test
    void withoutThePositionGuardTheLateDuplicatesWouldCorruptTheState() {
        Replay naive = Replay.of(Runs.allScenariosRun(DecimalMode.PRECISE), false);

        TruthValues.Differences differences = compareTables(truth(DecimalMode.PRECISE), naive, DecimalMode.PRECISE);

        assertThat(differences.count()).as("the run re-sends older changes after newer ones").isPositive();
    }

    @Test
    void decimalsAreExactInPreciseModeTextInStringModeAndDoublesInDoubleMode() {
        Object precise = replay(DecimalMode.PRECISE).liveRows(SalesSchema.ORDERS).values().iterator().next().get("TOTAL_AMOUNT");
        Object text = replay(DecimalMode.STRING).liveRows(SalesSchema.ORDERS).values().iterator().next().get("TOTAL_AMOUNT");
        Object dbl = replay(DecimalMode.DOUBLE).liveRows(SalesSchema.ORDERS).values().iterator().next().get("TOTAL_AMOUNT");

        assertThat(precise).isInstanceOfSatisfying(BigDecimal.class, d -> assertThat(d.scale()).isEqualTo(2));
        assertThat(text).isInstanceOfSatisfying(String.class, s -> assertThat(s).matches("\\d+\\.\\d{2}"));
        assertThat(dbl).isInstanceOf(Double.class);
    }

    // ------------------------------------------------------------------ dead letters

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void malformedBodiesFailToDecodeAndTogetherWithTheMalformedXmlAreTheTruthsDeadLetters(DecimalMode mode) {
        GeneratedRun run = Runs.allScenariosRun(mode);
        Replay replay = replay(mode);
        List<ExpectedDeadLetter> derived = new ArrayList<>(replay.malformedBodies());
        for (Map.Entry<TableId, String> xml : Map.of(SalesSchema.ORDERS, "SHIPPING_INFO", SalesSchema.CUSTOMERS, "ADDRESSES").entrySet()) {
            String keyColumn = SalesSchema.table(xml.getKey().table()).keyColumn();
            for (Map.Entry<Long, Replay.Row> row : replay.rows(xml.getKey()).entrySet()) {
                Object text = row.getValue().deleted() ? null : row.getValue().values.get(xml.getValue());
                if (text != null && !XmlRows.wellFormed((String) text)) {
                    derived.add(new ExpectedDeadLetter(row.getValue().xmlTopic.get(xml.getValue()),
                            Map.of(keyColumn, row.getKey()), ExpectedDeadLetter.Reason.MALFORMED_XML));
                }
            }
        }

        assertThat(run.delivered()).filteredOn(d -> d.event() == null)
                .hasSize(3)
                .allSatisfy(d -> assertThat(d.error()).isInstanceOf(MalformedEventException.class));
        assertThat(sorted(derived)).isEqualTo(sorted(truth(mode).deadLetters()));
        assertThat(derived).extracting(ExpectedDeadLetter::reason).containsOnly(
                ExpectedDeadLetter.Reason.MALFORMED_JSON, ExpectedDeadLetter.Reason.MALFORMED_XML);
        assertThat(truth(mode).manifest().path("dead_letters").asLong()).isEqualTo(4);
    }

    private static List<String> sorted(List<ExpectedDeadLetter> letters) {
        return letters.stream().map(l -> l.reason() + " " + l.topic() + " " + l.key()).sorted().toList();
    }

    // ------------------------------------------------------------------ enriched orders

    /**
     * Not in string mode: there the decimals reach the join as text, which {@link EnrichedOrderDefinition} does not
     * add up, while the truth holds the numeric total (reported as an open question).
     */
    @ParameterizedTest
    @EnumSource(value = DecimalMode.class, names = {"PRECISE", "DOUBLE"})
    void enrichedOrdersAreTheJoinOfTheReplayedState(DecimalMode mode) {
        Replay replay = replay(mode);
        EnrichedOrderDefinition join = EnrichedOrderDefinition.SALES;
        Map<Long, Map<String, Object>> customers = replay.liveRows(SalesSchema.CUSTOMERS);
        Map<Long, Map<String, Object>> products = replay.liveRows(SalesSchema.PRODUCTS);
        Map<Long, List<Map<String, Object>>> itemsByOrder = new HashMap<>();
        for (Map<String, Object> item : replay.liveRows(SalesSchema.ORDER_ITEMS).values()) {
            itemsByOrder.computeIfAbsent((Long) item.get("ORDER_ID"), k -> new ArrayList<>()).add(item);
        }
        Map<Long, Map<String, Object>> expectedByOrder = new HashMap<>();
        for (Map<String, Object> row : truth(mode).enriched()) {
            expectedByOrder.put(((Number) row.get("order_id")).longValue(), row);
        }

        TruthValues.Differences differences = new TruthValues.Differences(mode);
        Map<Long, Map<String, Object>> orders = replay.liveRows(SalesSchema.ORDERS);
        for (Map.Entry<Long, Map<String, Object>> order : orders.entrySet()) {
            Map<String, Object> joined = join.enrich(order.getValue(), customers.get((Long) order.getValue().get("CUSTOMER_ID")),
                    itemsByOrder.getOrDefault(order.getKey(), List.of()), key -> products.get((Long) key));
            Map<String, Object> expected = expectedByOrder.get(order.getKey());
            if (expected == null) {
                differences.add("order " + order.getKey() + ": live after the replay, no enriched row in the truth");
            } else {
                differences.compare("enriched[" + order.getKey() + "]", expected, TruthValues.canonical(joined));
            }
        }

        assertThat(differences.first()).as("%s", differences).isEmpty();
        assertThat(expectedByOrder.keySet()).isEqualTo(orders.keySet());
        assertThat(expectedByOrder.values()).noneMatch(r -> r.containsKey("shipping_info"));
        assertThat(expectedByOrder.values().stream().filter(r -> ((Number) r.get("item_count")).intValue() > 1).count())
                .isGreaterThan(100);
    }

    // ------------------------------------------------------------------ extracted rows

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void extractedRowsAreAnIndependentParseOfTheFinalXmlOfEveryLiveRow(DecimalMode mode) {
        Replay replay = replay(mode);
        SourceTruth truth = truth(mode);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Object>> order : replay.liveRows(SalesSchema.ORDERS).entrySet()) {
            String xml = (String) order.getValue().get("SHIPPING_INFO");
            List<Map<String, Object>> rows = xml == null ? null : XmlRows.shippingItems(order.getKey(), xml);
            if (rows != null) {
                items.addAll(rows);
            }
        }
        List<Map<String, Object>> addresses = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Object>> customer : replay.liveRows(SalesSchema.CUSTOMERS).entrySet()) {
            String xml = (String) customer.getValue().get("ADDRESSES");
            List<Map<String, Object>> rows = xml == null ? null : XmlRows.addresses(customer.getKey(), xml);
            if (rows != null) {
                addresses.addAll(rows);
            }
        }

        TruthValues.Differences differences = new TruthValues.Differences(DecimalMode.PRECISE);
        compareExtracted(differences, ShippingInfo.TARGET_TABLE, "order_id", truth.extracted().get(ShippingInfo.TARGET_TABLE), items);
        compareExtracted(differences, Addresses.TARGET_TABLE, "customer_id", truth.extracted().get(Addresses.TARGET_TABLE), addresses);

        assertThat(differences.first()).as("%s", differences).isEmpty();
        assertThat(truth.extracted().keySet()).containsExactlyInAnyOrder(ShippingInfo.TARGET_TABLE, Addresses.TARGET_TABLE);
        assertThat(items.size()).isGreaterThan(25_150 + 500);
        assertThat(addresses.size()).isGreaterThan(200);
        // both shapes of the documents were parsed: fields from attributes and from child elements
        assertThat(replay.liveRows(SalesSchema.ORDERS).values()).extracting(r -> (String) r.get("SHIPPING_INFO"))
                .anyMatch(x -> x != null && x.contains("<item product_id="))
                .anyMatch(x -> x != null && x.contains("<item><product_id>"));
        assertThat(replay.liveRows(SalesSchema.CUSTOMERS).values()).extracting(r -> (String) r.get("ADDRESSES"))
                .anyMatch(x -> x != null && x.contains("\" street=\""))
                .anyMatch(x -> x != null && x.contains("<street>"));
    }

    private static void compareExtracted(TruthValues.Differences differences, String target, String parent,
                                         List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        Comparator<Map<String, Object>> byKey = Comparator.<Map<String, Object>>comparingLong(r -> ((Number) r.get(parent)).longValue())
                .thenComparingLong(r -> ((Number) r.get("line_no")).longValue());
        List<Map<String, Object>> e = expected.stream().sorted(byKey).toList();
        List<Map<String, Object>> a = actual.stream().sorted(byKey).toList();
        if (e.size() != a.size()) {
            differences.add(target + ": " + e.size() + " rows in the truth, " + a.size() + " parsed");
        }
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            differences.compare(target + "[" + e.get(i).get(parent) + "/" + e.get(i).get("line_no") + "]",
                    e.get(i), TruthValues.canonical(a.get(i)));
        }
    }
}
