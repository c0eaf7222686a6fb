package dev.cdc.e2e.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.QueueSnapshot;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DlqSettings;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.e2e.net.ForeignAmqpPublisher;
import dev.cdc.e2e.net.ForeignAmqpPublisher.Body;
import dev.cdc.e2e.pipeline.ApiTarget;
import dev.cdc.e2e.pipeline.OdsTarget;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * D: events Debezium's Oracle connector wrote (the corpus in {@code cdc-common/src/test/resources/debezium-corpus},
 * provenance in its README), published by an AMQP 1.0 client that is not ours (Qpid Proton-J, no JMS) while the
 * generator's load runs with every situation it produces (F6, F10, S1-S6, X1-X8: every kind of input at once, and
 * by default the run those four scenarios get): without our {@code cdc_key}, with and without the AMQP {@code to} field, as binary and as
 * string bodies, with a byte-order mark, plus a tombstone, transaction markers, a schema change, a truncate, and two
 * bad ones (an AMQP map body; a table with no key anywhere). The table DEBEZIUM.CUSTOMERS shares its name with
 * SALES.CUSTOMERS. Checks: the generator's truth holds (SALES.CUSTOMERS untouched by DEBEZIUM's rows), the DEBEZIUM
 * row ends as the newest documented change left it (A: in its own table; B: every change delivered), the truncate
 * reaches B as a change, the schema change is recorded (A), and exactly the two bad messages are dead letters, each
 * keeping the topic it was published to, also when the publisher set no {@code to}.
 */
final class ForeignEvents extends FaultUnderLoad {

    private static final String CUSTOMERS_TOPIC = "cdc/oracle/DEBEZIUM/CUSTOMERS/";
    private static final String CONTACTS_TOPIC = "cdc/oracle/DEBEZIUM/CONTACTS/insert";
    private static final String NEWEST_EMAIL = "anne@example.com"; // the documented update, SCN 2125544

    ForeignEvents() {
        super("D", ScenarioContext.BOTH, "Debezium's own events from a non-JMS AMQP client, amid the generator's"
                + " F6, F10, S and X");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        return ScenarioContext.load(GeneratorScenarios.ALL);
    }

    @Override
    UnaryOperator<String> configEdit(ScenarioContext context) {
        return yaml -> yaml.replace("subscriptions: [cdc/oracle/SALES/>]",
                "subscriptions: [cdc/oracle/SALES/>, cdc/oracle/DEBEZIUM/>]")
                + "\ntables:\n  DEBEZIUM.CUSTOMERS:\n    key: [ID]\n";
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        Path corpus = context.home().resolve("cdc-common/src/test/resources/debezium-corpus");
        context.faultStarted("publishing Debezium's documented events with Proton-J");
        String host = BrokerSettings.endpoint(run.config()).host();
        try (ForeignAmqpPublisher publisher = new ForeignAmqpPublisher(host, BrokerSettings.endpoint(run.config()).port())) {
            // 1.x create in a key+value envelope with its documented key; the `to` field set
            String keyed = "{\"key\":" + read(corpus, "1.x/customers-create.key.json") + ",\"value\":"
                    + read(corpus, "1.x/customers-create.json") + "}";
            publisher.send(CUSTOMERS_TOPIC + "insert", Body.data(utf8(keyed)), Map.of(), true);
            // 2.x update without schemas, as an AMQP string; its source names no table: the topic does
            publisher.send(CUSTOMERS_TOPIC + "update", Body.text(read(corpus, "2.x/customers-update-schemaless.json")),
                    Map.of(), true);
            // 3.x update with a byte-order mark and no `to`: the table comes from the envelope schema's name
            publisher.send(CUSTOMERS_TOPIC + "update", Body.data(withBom(read(corpus, "3.x/customers-update.json"))),
                    Map.of(), false);
            publisher.send(CUSTOMERS_TOPIC + "delete", Body.data(new byte[0]), Map.of(), true); // a tombstone
            publisher.send("cdc/oracle/DEBEZIUM/TRANSACTION/begin", Body.text(read(corpus, "3.x/tx-begin.json")), Map.of(), true);
            publisher.send("cdc/oracle/DEBEZIUM/TRANSACTION/end", Body.text(read(corpus, "3.x/tx-end.json")), Map.of(), true);
            publisher.send("cdc/oracle/DEBEZIUM/CUSTOMERS/ddl", Body.text(read(corpus, "3.x/customers-schema-change.json")),
                    Map.of(), true);
            publisher.send("cdc/oracle/DEBEZIUM/TEST_TABLE/truncate", Body.data(utf8(read(corpus, "2.x/test_table-truncate.json"))),
                    Map.of(), true);
            // bad: a body no envelope can be; and a table whose key nobody knows, published without `to`
            publisher.send(CUSTOMERS_TOPIC + "insert", Body.value(Map.of("ID", 1004, "EMAIL", "x")), Map.of(), true);
            publisher.send(CONTACTS_TOPIC, Body.data(utf8(read(corpus, "3.x/customers-create.json")
                    .replace("DEBEZIUM.CUSTOMERS", "DEBEZIUM.CONTACTS"))), Map.of(), false);
        }
        context.moreDeadLetters(2);
        context.healed("11 foreign messages published");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> deadLetterTopics = run.target() instanceof OdsTarget ods ? odsChecks(ods, problems)
                : apiChecks(run, run.target(ApiTarget.class), problems);
        expect(problems, "dead letter of the map body", deadLetterTopics.get("MALFORMED_JSON"), CUSTOMERS_TOPIC + "insert");
        expect(problems, "dead letter of the unkeyed table", deadLetterTopics.get("MISSING_KEY"), CONTACTS_TOPIC);
        if (problems.isEmpty()) {
            context.note("DEBEZIUM.CUSTOMERS 1004 ends " + NEWEST_EMAIL + "; dead letters keep their topics " + deadLetterTopics);
            return null;
        }
        return String.join("; ", problems);
    }

    /** A: the row in its own table, the schema change recorded; the dead letters' topics from cdc_dlq. */
    private static Map<String, String> odsChecks(OdsTarget target, List<String> problems) throws Exception {
        Map<String, String> topics = new HashMap<>();
        try (dev.cdc.ods.OdsDatabase ods = target.ods(); Connection c = ods.dataSource().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT email, _source_scn, _deleted FROM cdc_debezium_customers WHERE id = 1004")) {
                if (!rs.next()) {
                    problems.add("no row 1004 in cdc_debezium_customers");
                } else {
                    expect(problems, "cdc_debezium_customers 1004", rs.getString(1) + " at " + rs.getLong(2)
                            + (rs.getBoolean(3) ? " deleted" : ""), NEWEST_EMAIL + " at 2125544");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM cdc_source_ddl WHERE source_table = 'DEBEZIUM.CUSTOMERS'")) {
                rs.next();
                expect(problems, "recorded schema changes", rs.getLong(1), 1L);
            }
            try (ResultSet rs = s.executeQuery("SELECT error_type, topic FROM cdc_dlq WHERE topic LIKE 'cdc/oracle/DEBEZIUM/%'")) {
                while (rs.next()) {
                    topics.put(rs.getString(1), rs.getString(2));
                }
            }
            c.commit();
        }
        return topics;
    }

    /** B: every change delivered (the truncate too); the dead letters' topics from the broker's dead-letter queue. */
    private static Map<String, String> apiChecks(PipelineRun run, ApiTarget api, List<String> problems) throws Exception {
        Map<String, JsonNode> changes = new HashMap<>();
        api.received().forEachChange("DEBEZIUM.CUSTOMERS", change -> changes.put(change.path("id").asText(), change));
        expect(problems, "DEBEZIUM.CUSTOMERS changes delivered", new java.util.TreeSet<>(changes.keySet()),
                new java.util.TreeSet<>(List.of("DEBEZIUM.CUSTOMERS:2122185:0", "DEBEZIUM.CUSTOMERS:2125544:0")));
        JsonNode newest = changes.get("DEBEZIUM.CUSTOMERS:2125544:0");
        expect(problems, "its newest email", newest == null ? null : newest.path("after").path("EMAIL").asText(), NEWEST_EMAIL);
        List<String> truncates = new ArrayList<>();
        api.received().forEachChange("DEBEZIUM.TEST_TABLE", change -> truncates.add(change.path("op").asText()));
        expect(problems, "DEBEZIUM.TEST_TABLE truncate delivered", truncates, List.of("t"));
        Map<String, String> topics = new HashMap<>();
        String queue = run.config().get(DlqSettings.QUEUES).get(0);
        try (AmqpMessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(run.config()))) {
            QueueSnapshot snapshot = bus.browse(queue, 100);
            for (BrokerMessage m : snapshot.first()) {
                String topic = m.property(DeadLetter.PROPERTY_ORIGINAL_TOPIC);
                if (topic != null && topic.startsWith("cdc/oracle/DEBEZIUM/")) {
                    topics.put(m.property(DeadLetter.PROPERTY_ERROR_TYPE), topic);
                }
            }
        }
        return topics;
    }

    private static void expect(List<String> problems, String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            problems.add(what + ": " + actual + ", expected " + expected);
        }
    }

    private static String read(Path corpus, String file) throws java.io.IOException {
        return Files.readString(corpus.resolve(file));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withBom(String text) {
        byte[] json = utf8(text);
        byte[] out = new byte[json.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(json, 0, out, 3, json.length);
        return out;
    }
}
