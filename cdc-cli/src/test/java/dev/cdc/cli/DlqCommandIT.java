package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetterSpill;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.ods.dlq.DeadLetterStore;
import dev.cdc.ods.schema.TableMapping;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./cdc dlq list}, {@code drain} and {@code replay} against a real ODS and the real embedded broker. */
class DlqCommandIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listShowsWhyAndReplaySendsTheOriginalBackToItsTopic() throws Exception {
        int pgPort = freePort();
        int brokerPort = freePort();
        BrokerMessage bad = new BrokerMessage("cdc/oracle/SALES/ORDERS/insert",
                Map.of(MessageProperties.KEY, "{\"ORDER_ID\":7}", MessageProperties.SCN, "42"),
                "{\"schema\": oops".getBytes(StandardCharsets.UTF_8));
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", pgPort, dir.resolve("pg"), dir.resolve("pg-work"));
             EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 64L << 20)) {
            pg.ensureDatabase("ods", "ods_user", "ods-pass");
            QueueSpec queue = new QueueSpec("q.orders", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5,
                    "q.dead", 16 << 20);
            broker.provision(queue);
            try (OdsDatabase ods = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
                ods.migrate();
                new OdsWriter(ods.dataSource(), new OdsWriter.Options("it", TableMapping.defaults(), List.of(), null,
                        true, dev.cdc.common.fault.RetrySettings.defaults())).apply(1, List.of(bad));
            }
            Path config = config(brokerPort, pgPort);

            assertThat(run("dlq", "list", "--config", config.toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("MALFORMED_JSON").contains("cdc/oracle/SALES/ORDERS/insert")
                    .contains("{\"ORDER_ID\":7}");

            assertThat(run("dlq", "replay", "--type", "MALFORMED_JSON", "--config", config.toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("replayed 1 dead letter to their original topics");
            try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort));
                 QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(queue), 10)) {
                ReceivedMessage replayed = consumer.receive(Duration.ofSeconds(10));
                assertThat(replayed).isNotNull();
                assertThat(replayed.message().topic()).isEqualTo(bad.topic());
                assertThat(replayed.message().body()).isEqualTo(bad.body());
                assertThat(replayed.message().property(MessageProperties.KEY)).isEqualTo("{\"ORDER_ID\":7}");
                consumer.acknowledge(List.of(replayed));
            }

            out.getBuffer().setLength(0);
            assertThat(run("dlq", "list", "--config", config.toString())).isZero();
            assertThat(out.toString()).contains("no dead letters");
            assertThat(run("dlq", "list", "--all", "--config", config.toString())).isZero();
            assertThat(out.toString()).contains("(replayed ");
        }
    }

    @Test
    void drainRecordsTheBrokersDeadLettersAndTheSpillAcknowledgingOnlyWhatWasRecorded() throws Exception {
        int pgPort = freePort();
        int brokerPort = freePort();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", pgPort, dir.resolve("pg"), dir.resolve("pg-work"));
             EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 64L << 20)) {
            pg.ensureDatabase("ods", "ods_user", "ods-pass");
            broker.provision(new QueueSpec("cdc.dead-letters", List.of(TopicSubscription.parse("cdc/dlq/>")), 5,
                    "cdc.dead", 16 << 20, QueueSpec.WhenFull.PAGE));
            QueueSpec events = new QueueSpec("q.events", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 1,
                    "cdc.dead", 16 << 20);
            broker.provision(events);
            try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort))) {
                for (int i = 0; i < 10; i++) {
                    bus.publish(letter(i, "cdc/oracle/SALES/ORDERS/insert").toBrokerMessage());
                }
                // two messages the consumer gives up on: the broker moves them to its dead-message queue
                bus.publish(order(100));
                bus.publish(order(101));
                bus.flush(Duration.ofSeconds(10));
                try (QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(events), 10)) {
                    for (int i = 0; i < 2; i++) {
                        consumer.reject(consumer.receive(Duration.ofSeconds(10)));
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth("cdc.dead") == 2);
            Path spill = dir.resolve("spill");
            new DeadLetterSpill(spill, "flink-rest-rest-0").append(List.of(letter(200, "cdc/oracle/SALES/CUSTOMERS/update"),
                    letter(201, "cdc/oracle/SALES/CUSTOMERS/update")));
            Path config = Files.writeString(dir.resolve("cdc.yaml"), """
                    broker:
                      port: %d
                    postgres:
                      port: %d
                      db: ods
                      user: ods_user
                      password: ods-pass
                    queues:
                      cdc.dead-letters:
                        subscriptions: [cdc/dlq/>]
                        quota-mb: 16
                        when-full: page
                    dlq:
                      queues: ["cdc/dlq/*/>::cdc.dead-letters", cdc.dead]
                      spill-dir: %s
                    """.formatted(brokerPort, pgPort, spill));

            assertThat(run("dlq", "list", "--broker", "--config", config.toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("cdc.dead-letters: 10 messages").contains("cdc.dead: 2 messages")
                    .contains("DELIVERY_ATTEMPTS_EXCEEDED").contains("2 dead letters in 1 file");

            try (OdsDatabase ods = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
                ods.migrate();
                DeadLetterStore store = new DeadLetterStore(ods.dataSource());
                // the database fails once cdc_dlq holds 4 rows: the drain stops in its third batch of 2
                sql(ods, """
                        CREATE FUNCTION fail_at_four() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                          IF (SELECT count(*) FROM cdc_dlq) >= 4 THEN RAISE EXCEPTION 'disk full (test)'; END IF;
                          RETURN NEW;
                        END $$;
                        CREATE TRIGGER fail_at_four BEFORE INSERT ON cdc_dlq FOR EACH ROW EXECUTE FUNCTION fail_at_four();
                        """);

                out.getBuffer().setLength(0);
                assertThat(run("dlq", "drain", "--batch-size", "2", "--config", config.toString())).isEqualTo(1);
                assertThat(err.toString()).contains("disk full (test)").contains("nothing unrecorded was acknowledged")
                        .doesNotContain("\tat ").hasLineCount(1);
                assertThat(store.count()).isEqualTo(4);
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth("cdc.dead-letters") == 6);
                assertThat(DeadLetterSpill.read(spill.resolve("flink-rest-rest-0.jsonl"))).hasSize(2);

                sql(ods, "DROP TRIGGER fail_at_four ON cdc_dlq");
                out.getBuffer().setLength(0);
                assertThat(run("dlq", "drain", "--config", config.toString())).as(err.toString()).isZero();
                assertThat(out.toString()).contains("cdc.dead-letters: 6 dead letters drained (6 new in cdc_dlq)")
                        .contains("cdc.dead: 2 dead letters drained (2 new in cdc_dlq)")
                        .contains("drained 10 dead letters into cdc_dlq");
                assertThat(store.count()).isEqualTo(14);
                assertThat(broker.depth("cdc.dead-letters")).isZero();
                assertThat(broker.depth("cdc.dead")).isZero();
                assertThat(DeadLetterSpill.read(spill.resolve("flink-rest-rest-0.jsonl"))).isEmpty();
                assertThat(store.list("DELIVERY_ATTEMPTS_EXCEEDED", false, 10)).hasSize(2)
                        .allSatisfy(d -> assertThat(d.topic()).isEqualTo("cdc/oracle/SALES/ORDERS/insert"));
                assertThat(store.list("MALFORMED_JSON", false, 100)).hasSize(12)
                        .anySatisfy(d -> assertThat(d.topic()).isEqualTo("cdc/oracle/SALES/CUSTOMERS/update"));

                out.getBuffer().setLength(0);
                assertThat(run("dlq", "drain", "--config", config.toString())).as(err.toString()).isZero();
                assertThat(out.toString()).contains("drained 0 dead letters into cdc_dlq");
                assertThat(store.count()).isEqualTo(14);
            }
        }
    }

    @Test
    void replayRefusesARecordWhoseTopicIsAQueueAddressInOneLineAndReplaysTheRest() throws Exception {
        int pgPort = freePort();
        int brokerPort = freePort();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", pgPort, dir.resolve("pg"), dir.resolve("pg-work"));
             EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 64L << 20)) {
            pg.ensureDatabase("ods", "ods_user", "ods-pass");
            QueueSpec queue = new QueueSpec("q.orders", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5,
                    "q.dead", 16 << 20);
            broker.provision(queue);
            long wildcardId;
            try (OdsDatabase ods = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
                ods.migrate();
                try (var c = ods.dataSource().getConnection()) {
                    DeadLetterStore.insert(c, List.of(letter(1, "cdc/oracle/*/>::cdc.events"),
                            letter(2, "cdc/oracle/SALES/ORDERS/insert")));
                    c.commit();
                }
                wildcardId = new DeadLetterStore(ods.dataSource()).list(null, false, 10).stream()
                        .filter(d -> d.topic().contains("::")).findFirst().orElseThrow().id();
            }
            Path config = config(brokerPort, pgPort);

            assertThat(run("dlq", "replay", "--type", "MALFORMED_JSON", "--config", config.toString())).isEqualTo(1);
            assertThat(err.toString()).hasLineCount(1).doesNotContain("\tat ").doesNotContain("Exception")
                    .startsWith("dlq replay: dead letter " + wildcardId + " not replayed: its topic \"cdc/oracle/*/>::cdc.events\"");
            assertThat(out.toString()).contains("replayed 1 dead letter to their original topics; 1 refused");
            try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort));
                 QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(queue), 10)) {
                ReceivedMessage replayed = consumer.receive(Duration.ofSeconds(10));
                assertThat(replayed).isNotNull();
                assertThat(replayed.message().topic()).isEqualTo("cdc/oracle/SALES/ORDERS/insert");
                consumer.acknowledge(List.of(replayed));
            }
            out.getBuffer().setLength(0);
            assertThat(run("dlq", "list", "--config", config.toString())).isZero();
            assertThat(out.toString()).contains("cdc/oracle/*/>::cdc.events").doesNotContain("cdc/oracle/SALES/ORDERS/insert");
        }
    }

    @Test
    void aDeadLetterFromAPublisherThatSetNoToReplaysToTheTopicItWasPublishedTo() throws Exception {
        int pgPort = freePort();
        int brokerPort = freePort();
        String topic = "cdc/oracle/DEBEZIUM/CUSTOMERS/insert";
        // the Oracle connector's documented 3.x create: no cdc_key, and no key configured for its table
        byte[] documented = Files.readAllBytes(Path.of("..", "cdc-common", "src", "test", "resources", "debezium-corpus",
                "3.x", "customers-create.json"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", pgPort, dir.resolve("pg"), dir.resolve("pg-work"));
             EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 64L << 20)) {
            pg.ensureDatabase("ods", "ods_user", "ods-pass");
            QueueSpec queue = new QueueSpec("q.debezium", List.of(TopicSubscription.parse("cdc/oracle/DEBEZIUM/>")), 5,
                    "q.dead", 16 << 20);
            broker.provision(queue);
            try (dev.cdc.e2e.net.ForeignAmqpPublisher publisher = new dev.cdc.e2e.net.ForeignAmqpPublisher("127.0.0.1", brokerPort)) {
                publisher.send(topic, dev.cdc.e2e.net.ForeignAmqpPublisher.Body.data(documented), Map.of(), false);
            }
            try (OdsDatabase ods = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2);
                 AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort));
                 QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(queue), 10)) {
                ods.migrate();
                ReceivedMessage received = consumer.receive(Duration.ofSeconds(10));
                assertThat(received.message().topic()).as("what the consumer sees without `to`").contains("::");
                var result = new OdsWriter(ods.dataSource(), new OdsWriter.Options("it", TableMapping.defaults(), List.of(),
                        null, true, dev.cdc.common.fault.RetrySettings.defaults())).apply(1, List.of(received.message()));
                consumer.acknowledge(List.of(received));
                assertThat(result.deadLetters()).singleElement()
                        .satisfies(d -> assertThat(d.errorType()).isEqualTo(DeadLetter.ErrorType.MISSING_KEY));
            }
            Path config = config(brokerPort, pgPort);

            assertThat(run("dlq", "replay", "--type", "MISSING_KEY", "--config", config.toString())).isZero();
            assertThat(out.toString()).contains("replayed 1 dead letter");
            try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort));
                 QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(queue), 10)) {
                ReceivedMessage replayed = consumer.receive(Duration.ofSeconds(10));
                assertThat(replayed).isNotNull();
                assertThat(replayed.message().topic()).isEqualTo(topic);
                assertThat(replayed.message().body()).isEqualTo(documented);
                consumer.acknowledge(List.of(replayed));
            }
        }
    }

    /** A configuration naming the test's broker and ODS. */
    private Path config(int brokerPort, int pgPort) throws java.io.IOException {
        return Files.writeString(dir.resolve("cdc.yaml"), """
                broker:
                  port: %d
                postgres:
                  port: %d
                  db: ods
                  user: ods_user
                  password: ods-pass
                """.formatted(brokerPort, pgPort));
    }

    private static DeadLetter letter(int orderId, String topic) {
        return new DeadLetter(new BrokerMessage(topic, Map.of(MessageProperties.KEY, "{\"ORDER_ID\":" + orderId + "}",
                MessageProperties.SCN, "" + (1000 + orderId)), "{\"schema\": oops".getBytes(StandardCharsets.UTF_8)),
                DeadLetter.ErrorType.MALFORMED_JSON, "not a Debezium envelope", "it", Instant.parse("2026-12-01T10:00:00Z"));
    }

    /** A real Debezium insert of SALES.ORDERS, as the generator publishes it. */
    private static BrokerMessage order(int orderId) {
        ConnectSchema row = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false)).build();
        ChangeEvent insert = new ChangeEvent(row, Operation.CREATE, null, Map.of("ORDER_ID", (long) orderId),
                new SourceInfo("2.7.3.Final", "oracle", "server1", 1_767_322_800_000L, "false", "ORCLPDB1", null,
                        "SALES", "ORDERS", "0a001b00c3040000", "2122185", "2122190"),
                1_767_322_801_234L, new TransactionInfo("0a001b00c3040000", 3, 1), null);
        return new BrokerMessage("cdc/oracle/SALES/ORDERS/insert", Map.of(MessageProperties.KEY,
                "{\"ORDER_ID\":" + orderId + "}"), new DebeziumJsonCodec().encode(insert));
    }

    private static void sql(OdsDatabase ods, String sql) throws Exception {
        try (var c = ods.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(sql);
            c.commit();
        }
    }

    private int run(String... args) {
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
