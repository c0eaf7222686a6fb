package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.ods.schema.TableMapping;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./cdc dlq list} and {@code replay} against a real ODS and the real embedded broker. */
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
            Path config = Files.writeString(dir.resolve("cdc.yaml"), """
                    broker:
                      port: %d
                    postgres:
                      port: %d
                      db: ods
                      user: ods_user
                      password: ods-pass
                    """.formatted(brokerPort, pgPort));

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
