package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.output.MessageList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's decoding step alone, over a generated run with every scenario: what goes on and what becomes a dead letter. */
class ChangeDecodingTest {

    @TempDir
    static Path dir;
    static SourceTruth truth;
    static final List<ChangeRecord> changes = new ArrayList<>();
    static final List<ApiRecord> alerts = new ArrayList<>();
    static final List<DeadLetterRecord> deadLetters = new ArrayList<>();

    @BeforeAll
    static void decodeAGeneratedRun() throws Exception {
        Configuration config = Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of());
        GeneratorConfig generator = GeneratorConfig.builder().seed(7).rate(Rate.MAX).events(3_000L)
                .scenarios(Scenario.parseList("all")).snapshotOrders(40).alerts(AlertRules.load(config)).build();
        MessageList messages = new MessageList();
        GeneratorRun.run(generator, messages, dir.resolve("truth"), null);
        truth = SourceTruth.read(dir.resolve("truth"));
        ChangeDecoding decoding = new ChangeDecoding(EnrichedOrderDefinition.SALES, XmlExtractions.load(config),
                AlertRules.load(config), "test");
        for (BrokerMessage m : messages.messages()) {
            decoding.decode(m, 0, new ChangeDecoding.Output() {
                @Override
                public void change(ChangeRecord change) {
                    changes.add(change);
                }

                @Override
                public void alert(ApiRecord alert) {
                    alerts.add(alert);
                }

                @Override
                public void deadLetter(DeadLetterRecord letter) {
                    deadLetters.add(letter);
                }
            });
        }
    }

    @Test
    void everyPublishedChangeGoesOnOnceUnderItsEventId() throws Exception {
        Set<String> ids = changes.stream().map(c -> c.eventId).collect(Collectors.toSet());
        assertThat(ids).isEqualTo(truth.changeIds()); // the re-sent duplicates carry the same ids
        for (ChangeRecord c : changes) {
            JsonNode api = DebeziumJsonCodec.mapper().readTree(c.apiJson);
            assertThat(api.path("id").asText()).isEqualTo(c.eventId);
            assertThat(api.path("table").asText()).isEqualTo(c.table);
        }
    }

    @Test
    void badDataBecomesTheExpectedDeadLettersAndAMalformedDocumentKeepsItsRow() {
        // a re-sent bad message (F10) is a dead letter again: compared as a set, as the DLQ keeps one per message
        assertThat(deadLetters.stream().map(d -> d.errorType + " " + d.topic + " " + d.properties.get("cdc_key"))
                .collect(Collectors.toSet()))
                .isEqualTo(truth.deadLetters().stream().map(d -> d.reason() + " " + d.topic() + " "
                        + DebeziumJsonCodec.keyJson(d.key())).collect(Collectors.toSet()));
        List<ExpectedDeadLetter> malformedXml = truth.deadLetters().stream()
                .filter(d -> d.reason() == ExpectedDeadLetter.Reason.MALFORMED_XML).toList();
        assertThat(malformedXml).isNotEmpty();
        for (ExpectedDeadLetter d : malformedXml) {
            String key = String.valueOf(d.key().values().iterator().next());
            assertThat(changes).as("the order of a malformed document still goes on, without extracted rows")
                    .anySatisfy(c -> {
                        assertThat(c.table).isEqualTo("SALES.ORDERS");
                        assertThat(c.rowKey).isEqualTo(key);
                        assertThat(DebeziumJsonCodec.mapper().readTree(c.apiJson).path("extracted")
                                .path("cdc_order_items_extracted").isEmpty()).isTrue();
                    });
        }
    }

    @Test
    void alertsAreThoseTheTruthPredicts() {
        assertThat(alerts.stream().map(a -> a.id).collect(Collectors.toSet()))
                .isEqualTo(truth.alerts().stream().map(a -> a.id()).collect(Collectors.toSet()));
    }

    @Test
    void aColumnSentAsTextLaterIsCoercedToItsFirstType() throws Exception {
        List<ChangeRecord> products = changes.stream().filter(c -> c.table.equals("SALES.PRODUCTS")).toList();
        assertThat(products).isNotEmpty().allSatisfy(c -> {
            JsonNode stock = DebeziumJsonCodec.mapper().readTree(c.joinRow).path("STOCK_QTY");
            assertThat(stock.isNull() || stock.isMissingNode() || stock.isNumber()).as(c.eventId).isTrue();
        });
    }

    @Test
    void theJoinKeepsOnlyTheJoinedTablesRowsWithoutTheirXml() throws Exception {
        Set<String> joined = Set.of("SALES.ORDERS", "SALES.CUSTOMERS", "SALES.ORDER_ITEMS", "SALES.PRODUCTS");
        assertThat(changes).filteredOn(c -> !joined.contains(c.table)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.joinRow).as(c.eventId).isNull());
        List<ChangeRecord> withXml = changes.stream()
                .filter(c -> c.table.equals("SALES.ORDERS") || c.table.equals("SALES.CUSTOMERS")).toList();
        assertThat(withXml).isNotEmpty().allSatisfy(c -> {
            JsonNode row = DebeziumJsonCodec.mapper().readTree(c.joinRow);
            assertThat(row.has("SHIPPING_INFO") || row.has("ADDRESSES")).as(c.eventId).isFalse();
            assertThat(row.has(c.table.equals("SALES.ORDERS") ? "ORDER_ID" : "CUSTOMER_ID")).as(c.eventId).isTrue();
        });
        // the API still receives the whole row, documents included
        assertThat(withXml).anySatisfy(c -> assertThat(DebeziumJsonCodec.mapper().readTree(c.apiJson).path("after")
                .has("SHIPPING_INFO")).isTrue());
    }

    @Test
    void joinKeysAreTakenFromTheRows() {
        assertThat(changes).filteredOn(c -> c.table.equals("SALES.ORDER_ITEMS"))
                .isNotEmpty().allSatisfy(c -> {
                    assertThat(c.orderKey).isNotNull();
                    assertThat(c.productKey).isNotNull();
                });
        assertThat(changes).filteredOn(c -> c.table.equals("SALES.ORDERS"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.orderKey).isEqualTo(c.rowKey));
    }
}
