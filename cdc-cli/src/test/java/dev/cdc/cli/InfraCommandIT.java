package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.event.TopicName;
import dev.cdc.common.metrics.PrometheusText;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./cdc infra} as a real process: it starts the broker and PostgreSQL, {@code generate} publishes to it,
 * the messages are in the provisioned queue, and {@code stop --clean} leaves no process and no data behind.
 */
class InfraCommandIT {

    @TempDir
    Path home;

    private Process infra;

    @AfterEach
    void kill() {
        if (infra != null && infra.isAlive()) {
            infra.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code ./cdc infra} as its own process and waits until it is ready; its output lines. */
    private List<String> startInfra(Path config, String... more) throws Exception {
        String classpath = Path.of("target/cdc-cli.jar").toAbsolutePath() + File.pathSeparator
                + Path.of("target/lib").toAbsolutePath() + File.separator + "*";
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcdc.home=" + home, "-cp", classpath, "dev.cdc.cli.Cdc", "infra", "--config", config.toString()));
        command.addAll(List.of(more));
        infra = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(infra.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader: " + e);
            }
        });
        reader.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> lines.contains("ready; Ctrl-C or ./cdc stop to stop") || !infra.isAlive());
        assertThat(infra.isAlive()).as(String.join("\n", lines)).isTrue();
        return lines;
    }

    /**
     * {@code ./cdc status} against a running {@code ./cdc infra}: healthy while a consumer acknowledges what is
     * published, stuck when messages wait with no consumer, and when a consumer takes them without acknowledging.
     */
    @Test
    void statusTellsAHealthySetUpFromAStuckOne() throws Exception {
        int brokerPort = freePort();
        int metricsPort = freePort();
        Path config = statusConfig(brokerPort, metricsPort, freePort(), "");
        StringWriter nothing = new StringWriter();
        assertThat(cli(nothing, "status", "--config", config.toString(), "--interval", "1s")).isEqualTo(StatusCommand.NOTHING_RUNS);
        assertThat(nothing.toString()).contains("no broker metrics at http://127.0.0.1:" + metricsPort);
        startInfra(config, "--no-postgres");
        String topic = "cdc/oracle/SALES/ORDERS/insert";
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort))) {
            for (int i = 0; i < 50; i++) {
                bus.publish(new dev.cdc.common.event.BrokerMessage(topic, java.util.Map.of(), new byte[] {'{', '}'}));
            }
            bus.flush(Duration.ofSeconds(10));
            StringWriter waiting = new StringWriter();
            assertThat(cli(waiting, "status", "--config", config.toString(), "--interval", "1s")).as(waiting.toString()).isEqualTo(1);
            assertThat(waiting.toString()).contains("cdc.events").contains("50 messages wait and no consumer is attached");

            try (QueueConsumer consumer = bus.consume("cdc/oracle/SALES/*/>::cdc.events", 100)) {
                List<ReceivedMessage> held = new ArrayList<>();
                for (ReceivedMessage m = consumer.receive(Duration.ofSeconds(10)); m != null && held.size() < 50;
                     m = consumer.receive(Duration.ofSeconds(2))) {
                    held.add(m);
                }
                StringWriter unacked = new StringWriter();
                assertThat(cli(unacked, "status", "--config", config.toString(), "--interval", "1s")).as(unacked.toString()).isEqualTo(1);
                assertThat(unacked.toString()).contains("none was acknowledged");
                consumer.acknowledge(held);

                // healthy: a publisher and a consumer that acknowledges what it receives, during the reading
                java.util.concurrent.atomic.AtomicBoolean flowing = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread flow = new Thread(() -> {
                    try {
                        while (flowing.get()) {
                            bus.publish(new dev.cdc.common.event.BrokerMessage(topic, java.util.Map.of(), new byte[] {'{', '}'}));
                            bus.flush(Duration.ofSeconds(10));
                            ReceivedMessage m = consumer.receive(Duration.ofSeconds(2));
                            if (m != null) {
                                consumer.acknowledge(List.of(m));
                            }
                        }
                    } catch (Exception e) {
                        flowing.set(false);
                    }
                });
                flow.start();
                StringWriter healthy = new StringWriter();
                int code = cli(healthy, "status", "--config", config.toString(), "--interval", "2s");
                boolean stillFlowing = flowing.getAndSet(false);
                flow.join();
                assertThat(stillFlowing).as("the publisher and the consumer ran through the reading").isTrue();
                assertThat(code).as(healthy.toString()).isZero();
                assertThat(healthy.toString()).contains("status: healthy").contains("consumer spark: not running");
            }
        }
        StringWriter stopped = new StringWriter();
        assertThat(cli(stopped, "stop", "--clean", "--config", config.toString())).as(stopped.toString()).isZero();
    }

    /**
     * {@code ./cdc status} against a running {@code ./cdc infra} and a Flink job ({@code ./cdc flink}) whose REST API
     * is down: stuck, its circuit open; once the API is up the job delivers what waited and the set-up is healthy.
     */
    @Test
    void statusTellsAFlinkJobWhoseApiIsDownFromOneThatDelivers() throws Exception {
        int brokerPort = freePort();
        int metricsPort = freePort();
        int flinkMetricsPort = freePort();
        int apiPort = freePort();
        Path config = statusConfig(brokerPort, metricsPort, flinkMetricsPort, """
                  ui: false
                  checkpoint-interval: 1s
                  checkpoint-dir: %s
                sink:
                  rest:
                    url: http://127.0.0.1:%d
                    token: it-token
                """.formatted(home.resolve("flink-checkpoints"), apiPort));
        startInfra(config, "--no-postgres");
        StringWriter generated = new StringWriter();
        assertThat(cli(generated, "generate", "--events", "200", "--rate", "max", "--config", config.toString()))
                .as(generated.toString()).isZero();
        // the job as ./cdc flink runs it, from the cdc-flink module this reactor built
        Path repository = Path.of("..").toAbsolutePath().normalize();
        Process flink = dev.cdc.e2e.pipeline.ConsumerProcess.FLINK.builder(repository, List.of("--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(home.resolve("flink.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> openCircuits(flinkMetricsPort) > 0);
            StringWriter down = new StringWriter();
            assertThat(cli(down, "status", "--config", config.toString(), "--interval", "1s")).as(down.toString()).isEqualTo(1);
            assertThat(down.toString()).contains("flink: the circuit to the REST API is open in")
                    .contains("consumer flink http://127.0.0.1:" + flinkMetricsPort);

            try (dev.cdc.restapi.RestApiServer api = dev.cdc.restapi.RestApiServer.start(dev.cdc.restapi.RestApiOptions
                    .defaults("it-token", home.resolve("rest-api")).withHost("127.0.0.1").withPort(apiPort))) {
                List<String> readings = new ArrayList<>();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    StringWriter up = new StringWriter();
                    int code = cli(up, "status", "--config", config.toString(), "--interval", "1s");
                    readings.add(up.toString());
                    return code == 0;
                });
                assertThat(readings.get(readings.size() - 1)).contains("status: healthy").doesNotContain("circuit")
                        .containsPattern("received [\\d,]+ \\([\\d,]+ redelivered\\), acknowledged [\\d,]+");
                assertThat(openCircuits(flinkMetricsPort)).isZero();
            }
        } finally {
            flink.destroy();
            flink.waitFor();
        }
    }

    /** A set-up for {@code ./cdc status}: the broker, its metrics, the consumers' metrics; {@code flink} more of Flink's. */
    private Path statusConfig(int brokerPort, int metricsPort, int flinkMetricsPort, String flink) throws IOException {
        return Files.writeString(home.resolve("cdc.yaml"), """
                broker:
                  port: %d
                queues:
                  cdc.events:
                    subscriptions:
                      - cdc/oracle/SALES/>
                infra:
                  data-dir: %s
                  metrics-port: %d
                spark:
                  metrics-port: %d
                flink:
                  metrics-port: %d
                """.formatted(brokerPort, home.resolve("data"), metricsPort, freePort(), flinkMetricsPort) + flink);
    }

    /** The Flink job's sink writers whose circuit is open, from its metrics; -1 while they do not answer. */
    private static double openCircuits(int port) {
        try {
            return scrape(port).value("cdc_flink_open_circuits", java.util.Map.of("engine", "flink")).orElse(-1.0);
        } catch (Exception | AssertionError notYet) {
            return -1;
        }
    }

    /** The broker's metrics as Prometheus reads them. */
    private static PrometheusText scrape(int port) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private int cli(StringWriter out, String... args) {
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void infraServesGenerateAndStopCleanLeavesNothingBehind() throws Exception {
        int brokerPort = freePort();
        int postgresPort = freePort();
        int metricsPort = freePort();
        Path data = home.resolve("data");
        Path config = Files.writeString(home.resolve("cdc.yaml"), """
                broker:
                  port: %d
                queues:
                  cdc.events:
                    subscriptions:   # every table, one subscription each: all five must reach the one queue
                      - cdc/oracle/SALES/ORDERS/>
                      - cdc/oracle/SALES/ORDER_ITEMS/>
                      - cdc/oracle/SALES/CUSTOMERS/>
                      - cdc/oracle/SALES/PRODUCTS/>
                      - cdc/oracle/SALES/AUDIT_LOG/>
                postgres:
                  port: %d
                  password: it-secret
                infra:
                  data-dir: %s
                  metrics-port: %d
                """.formatted(brokerPort, postgresPort, data, metricsPort));
        List<String> lines = startInfra(config);
        assertThat(String.join("\n", lines)).contains("amqp://127.0.0.1:" + brokerPort)
                .contains("jdbc:postgresql://127.0.0.1:" + postgresPort + "/cdc")
                .contains("consume as cdc/oracle/SALES/>::cdc.events")
                .doesNotContain("it-secret");

        StringWriter generated = new StringWriter();
        assertThat(cli(generated, "generate", "--events", "300", "--rate", "max", "--config", config.toString()))
                .as(generated.toString()).isZero();
        assertThat(generated.toString()).contains("generated 300 events").contains("0 send errors");
        assertThat(String.join("\n", lines)).contains("metrics   http://127.0.0.1:" + metricsPort + "/metrics");
        java.util.Map<String, String> events = java.util.Map.of("queue", "cdc.events");
        PrometheusText before = scrape(metricsPort);
        assertThat(before.value("cdc_broker_queue_messages", events)).contains(300.0);
        assertThat(before.value("cdc_broker_queue_enqueued_messages_total", events)).contains(300.0);
        assertThat(before.value("cdc_broker_queue_acknowledged_messages_total", events)).contains(0.0);
        assertThat(before.value("cdc_broker_queue_quota_bytes", events).orElseThrow()).isPositive();
        assertThat(before.value("cdc_postgres_up", java.util.Map.of("database", "cdc"))).as("the ODS's database")
                .contains(1.0);
        assertThat(before.value("cdc_postgres_database_bytes", java.util.Map.of("database", "cdc")).orElseThrow())
                .isPositive();
        List<ReceivedMessage> received = new ArrayList<>();
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(brokerPort));
             QueueConsumer consumer = bus.consume("cdc/oracle/SALES/>::cdc.events", 500)) {
            for (ReceivedMessage m = consumer.receive(Duration.ofSeconds(10)); m != null; m = consumer.receive(Duration.ofSeconds(1))) {
                received.add(m);
            }
            consumer.acknowledge(received);
        }
        assertThat(received).hasSize(300);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText after = scrape(metricsPort);
            assertThat(after.value("cdc_broker_queue_messages", events)).contains(0.0);
            assertThat(after.value("cdc_broker_queue_acknowledged_messages_total", events)).contains(300.0);
        });
        assertThat(received).extracting(m -> TopicName.parse(m.message().topic()).table().table()).contains(
                "ORDERS", "ORDER_ITEMS", "CUSTOMERS", "PRODUCTS");

        StringWriter stopped = new StringWriter();
        assertThat(cli(stopped, "stop", "--clean", "--config", config.toString())).as(stopped.toString()).isZero();
        assertThat(infra.isAlive()).isFalse();
        assertThat(lines).contains("cdc infra: stopped");
        try (Stream<Path> left = Files.list(data)) {
            assertThat(left).isEmpty();
        }
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            assertThat(all.map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(data.toString())))
                    .as("processes still using " + data).isEmpty();
        }
    }
}
