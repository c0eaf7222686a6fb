package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.Admitted;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
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
                AlertRules.load(config), new Admission(AdmissionSettings.from(config)), "test");
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

    // ------------------------------------------------------------------ what the admission decides, message by message

    private static final String TOPIC = "cdc/oracle/SALES/CUSTOMERS/insert";
    private static final String SOURCE = """
            {"version": "2.7.3.Final", "connector": "oracle", "name": "server", "ts_ms": 1700000000000,
             "snapshot": "false", "db": "ORCLPDB1", "schema": "SALES", "table": "CUSTOMERS", "scn": "5001",
             "commit_scn": "5001"}""";
    /** An insert of customer 7 as Kafka Connect writes it without schemas: the payload's fields at the top level. */
    private static final String SCHEMALESS_INSERT = """
            {"before": null,
             "after": {"CUSTOMER_ID": 7, "NAME": "Ada Lovelace", "EMAIL": "ada@example.com", "TIER": "GOLD"},
             "source": %s, "op": "c", "ts_ms": 1700000000123}""".formatted(SOURCE);

    /** What one ChangeDecoding emitted and counted. */
    static final class Emitted implements ChangeDecoding.Output {
        final List<ChangeRecord> changes = new ArrayList<>();
        final List<ApiRecord> alerts = new ArrayList<>();
        final List<DeadLetterRecord> deadLetters = new ArrayList<>();
        final Map<Admitted.Skip, Integer> skipped = new EnumMap<>(Admitted.Skip.class);
        final List<Admitted.SchemaChange> schemaChanges = new ArrayList<>();

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

        @Override
        public void skipped(Admitted.Skip reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        @Override
        public void schemaChange(Admitted.SchemaChange change) {
            schemaChanges.add(change);
        }

        boolean nothing() {
            return changes.isEmpty() && alerts.isEmpty() && deadLetters.isEmpty();
        }
    }

    private static Emitted decode(Map<String, String> settings, BrokerMessage... messages) {
        Configuration config = Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of()).with(settings);
        ChangeDecoding decoding = new ChangeDecoding(EnrichedOrderDefinition.SALES, XmlExtractions.load(config),
                AlertRules.load(config), new Admission(AdmissionSettings.from(config)), "test");
        Emitted out = new Emitted();
        for (BrokerMessage m : messages) {
            decoding.decode(m, 0, out);
        }
        return out;
    }

    private static BrokerMessage message(String topic, Map<String, String> properties, String body) {
        return new BrokerMessage(topic, properties, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode api(ChangeRecord change) throws Exception {
        return DebeziumJsonCodec.mapper().readTree(change.apiJson);
    }

    @Test
    void aKeyAndValueEnvelopeWithoutTheKeyPropertyIsAChangeKeyedByItsKeyStruct() throws Exception {
        String body = """
                {"key": {"schema": {"type": "struct", "optional": false, "name": "server.SALES.CUSTOMERS.Key",
                                    "fields": [{"field": "CUSTOMER_ID", "type": "int64", "optional": false}]},
                         "payload": {"CUSTOMER_ID": 7}},
                 "value": %s}""".formatted(SCHEMALESS_INSERT);
        Emitted out = decode(Map.of(), message(TOPIC, Map.of(), body));
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.changes).singleElement().satisfies(c -> {
            assertThat(c.table).isEqualTo("SALES.CUSTOMERS");
            assertThat(c.rowKey).isEqualTo("7");
            assertThat(c.customerKey).isEqualTo("7");
            assertThat(c.eventId).isEqualTo("SALES.CUSTOMERS:5001:0");
            assertThat(api(c).path("key").path("CUSTOMER_ID").asLong()).isEqualTo(7);
        });
    }

    @Test
    void aMessageWithoutAKeyTakesTheConfiguredKeyColumns() throws Exception {
        Emitted out = decode(Map.of("tables.SALES.CUSTOMERS.key", "CUSTOMER_ID"),
                message(TOPIC, Map.of(), SCHEMALESS_INSERT));
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.changes).singleElement().satisfies(c -> {
            assertThat(c.table).isEqualTo("SALES.CUSTOMERS");
            assertThat(c.rowKey).isEqualTo("7");
            assertThat(api(c).path("key").path("CUSTOMER_ID").asLong()).isEqualTo(7);
        });
    }

    @Test
    void aMessageWithoutAnyKeyIsAMissingKeyDeadLetterNamingTheSettingToSet() {
        BrokerMessage message = message(TOPIC, Map.of("cdc_scn", "5001"), SCHEMALESS_INSERT);
        Emitted out = decode(Map.of(), message);
        assertThat(out.changes).isEmpty();
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.errorType).isEqualTo("MISSING_KEY");
            assertThat(d.errorMessage).contains("tables.SALES.CUSTOMERS.key");
            assertThat(d.topic).isEqualTo(TOPIC);
            assertThat(d.properties).isEqualTo(Map.of("cdc_scn", "5001"));
            assertThat(d.body).isEqualTo(SCHEMALESS_INSERT);
            assertThat(d.consumerId).isEqualTo("test");
        });
    }

    @Test
    void aDeadLetterCarriesTheTopicItWasPublishedToWhenTheConsumerSawOnlyItsQueue() {
        Emitted out = decode(Map.of(), message("cdc/oracle/SALES/*/>::cdc.events", Map.of(), SCHEMALESS_INSERT));
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.errorType).isEqualTo("MISSING_KEY");
            assertThat(d.topic).isEqualTo(TOPIC); // rebuilt from the layout: where a replay must go
        });
    }

    @Test
    void aSourceBlockWithoutSchemaAndTableTakesThemFromTheTopic() {
        String body = SCHEMALESS_INSERT.replace("\"schema\": \"SALES\", \"table\": \"CUSTOMERS\", ", "");
        assertThat(body).doesNotContain("\"schema\"").doesNotContain("\"table\"");
        Emitted out = decode(Map.of(), message(TOPIC, Map.of("cdc_key", "{\"CUSTOMER_ID\":7}"), body));
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.changes).singleElement().satisfies(c -> {
            assertThat(c.table).isEqualTo("SALES.CUSTOMERS");
            assertThat(c.topic).isEqualTo(TOPIC);
            assertThat(c.rowKey).isEqualTo("7");
            assertThat(api(c).path("table").asText()).isEqualTo("SALES.CUSTOMERS");
        });
    }

    @Test
    void anEmptyBodyIsATombstoneCountedAndNothingElse() {
        Emitted out = decode(Map.of(), message(TOPIC, Map.of("cdc_key", "{\"CUSTOMER_ID\":7}"), ""));
        assertThat(out.nothing()).isTrue();
        assertThat(out.skipped).isEqualTo(Map.of(Admitted.Skip.TOMBSTONE, 1));
    }

    @Test
    void aTruncateIsOneApiRecordWithOpTAndNoKeyWhichTheJoinNeverSees() throws Exception {
        String body = """
                {"before": null, "after": null, "source": %s, "op": "t", "ts_ms": 1700000000123}"""
                .formatted(SOURCE);
        String topic = "cdc/oracle/SALES/CUSTOMERS/truncate";
        Emitted out = decode(Map.of(), message(topic, Map.of(), body));
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.alerts).isEmpty();
        assertThat(out.changes).singleElement().satisfies(c -> {
            assertThat(c.truncate).isTrue();
            assertThat(c.table).isEqualTo("SALES.CUSTOMERS");
            assertThat(c.eventId).isEqualTo("SALES.CUSTOMERS:5001:0");
            assertThat(c.scn).isEqualTo(5001);
            assertThat(c.sourceTsMs).isEqualTo(1700000000000L);
            assertThat(c.rowKey).isNull();
            assertThat(c.orderKey).isNull();
            assertThat(c.customerKey).isNull();
            assertThat(c.productKey).isNull();
            assertThat(c.joinRow).isNull();
            assertThat(c.forJoin().truncate).isTrue();
            JsonNode api = api(c);
            assertThat(api.path("id").asText()).isEqualTo(c.eventId);
            assertThat(api.path("op").asText()).isEqualTo("t");
            assertThat(api.path("table").asText()).isEqualTo("SALES.CUSTOMERS");
            assertThat(api.path("scn").asLong()).isEqualTo(5001);
            assertThat(api.path("sequence").asLong()).isZero();
            assertThat(api.path("source_ts_ms").asLong()).isEqualTo(1700000000000L);
            assertThat(api.path("topic").asText()).isEqualTo(topic);
            assertThat(api.get("key").isNull()).isTrue();
            assertThat(api.get("before").isNull()).isTrue();
            assertThat(api.get("after").isNull()).isTrue();
        });
    }

    @Test
    void aSchemalessBodyIsAChangeWithItsValuesTyped() throws Exception {
        Emitted out = decode(Map.of(), message(TOPIC, Map.of("cdc_key", "{\"CUSTOMER_ID\":7}"), SCHEMALESS_INSERT));
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.changes).singleElement().satisfies(c -> {
            assertThat(c.table).isEqualTo("SALES.CUSTOMERS");
            assertThat(c.rowKey).isEqualTo("7");
            assertThat(c.customerKey).isEqualTo("7");
            assertThat(c.deleted).isFalse();
            assertThat(c.truncate).isFalse();
            JsonNode after = api(c).path("after");
            assertThat(after.path("CUSTOMER_ID").isIntegralNumber()).isTrue();
            assertThat(after.path("NAME").asText()).isEqualTo("Ada Lovelace");
            assertThat(DebeziumJsonCodec.mapper().readTree(c.joinRow).path("TIER").asText()).isEqualTo("GOLD");
        });
    }

    @Test
    void heartbeatsAndTransactionMetadataAreCountedNotEmitted() {
        Emitted out = decode(Map.of(),
                message("__debezium-heartbeat.server", Map.of(), "{\"ts_ms\": 1700000000000}"),
                message("server.transaction", Map.of(), """
                        {"status": "BEGIN", "id": "0a001b00c5a40000", "event_count": null, "ts_ms": 1700000000000}"""),
                message(TOPIC, Map.of(), "\uFEFF  null "));
        assertThat(out.nothing()).isTrue();
        assertThat(out.skipped).isEqualTo(Map.of(Admitted.Skip.HEARTBEAT, 1, Admitted.Skip.TRANSACTION_METADATA, 1,
                Admitted.Skip.TOMBSTONE, 1));
    }

    @Test
    void aSchemaChangeIsRecordedOnceAndEmitsNothing() {
        String ddl = "ALTER TABLE SALES.CUSTOMERS ADD (NICKNAME VARCHAR2(40))";
        String body = """
                {"source": %s, "ts_ms": 1700000000123, "databaseName": "ORCLPDB1", "schemaName": "SALES",
                 "ddl": "%s", "tableChanges": [{"type": "ALTER", "id": "\\"ORCLPDB1\\".\\"SALES\\".\\"CUSTOMERS\\""}]}"""
                .formatted(SOURCE, ddl);
        Emitted out = decode(Map.of(), message("server", Map.of(), body));
        assertThat(out.nothing()).isTrue();
        assertThat(out.schemaChanges).singleElement().satisfies(s -> {
            assertThat(s.table()).hasToString("SALES.CUSTOMERS");
            assertThat(s.ddl()).isEqualTo(ddl);
        });
    }

    @Test
    void aLoggedDdlIsOneLineOfAtMost200Characters() {
        assertThat(ChangeDecoding.ddl("ALTER TABLE T\n  ADD (C NUMBER)")).isEqualTo("ALTER TABLE T ADD (C NUMBER)");
        assertThat(ChangeDecoding.ddl("x".repeat(500))).hasSize(ChangeDecoding.LOGGED_DDL_CHARS + 3).endsWith("...");
        assertThat(ChangeDecoding.ddl(null)).isEqualTo("(no DDL)");
    }
}
