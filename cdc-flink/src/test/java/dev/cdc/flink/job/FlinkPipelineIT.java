package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.flink.sink.DeliveryProgress;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.generator.output.MessageList;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.restapi.RestApiOptions;
import dev.cdc.restapi.RestApiServer;
import dev.cdc.restapi.client.ReceivedReader;
import dev.cdc.restapi.verify.DeliveryReport;
import dev.cdc.restapi.verify.DeliveryVerifier;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture B end to end in one JVM: generator -> embedded Artemis (AMQP) -> Flink (local mini-cluster, the
 * FLIP-27 broker source) -> the REST API target over real HTTP, ending with the truth check of what the API received.
 */
class FlinkPipelineIT {

    private static final String TOKEN = "it-token";

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private RestApiServer api;
    private QueueSpec queue;
    private Map<String, String> environment;

    @BeforeEach
    void startInfra() throws Exception {
        int brokerPort = freePort();
        broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 256L << 20);
        queue = new QueueSpec("cdc.events", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5, "cdc.dead", 256L << 20,
                QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED); // leased, as configs/cdc.yaml ships it
        broker.provision(queue);
        broker.provision(new QueueSpec("cdc.dlq", List.of(TopicSubscription.parse("cdc/dlq/>")), 5, "cdc.dead", 64L << 20));
        api = RestApiServer.start(RestApiOptions.defaults(TOKEN, dir.resolve("api")).withPort(0));
        environment = Map.of("SOLACE_PORT", Integer.toString(brokerPort), "REST_API_URL", api.baseUrl(),
                "REST_API_TOKEN", TOKEN);
    }

    @AfterEach
    void stopInfra() throws Exception {
        if (api != null) {
            api.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Configuration configuration() {
        // the shipped configuration, endpoints from the environment as a user would set them
        return Configuration.load(Path.of("..", "configs", "cdc.yaml"), environment).with(Map.of(
                "flink.queue", ArtemisSubscriptions.consumerAddress(queue),
                "flink.checkpoint-dir", dir.resolve("checkpoints").toString(),
                "flink.checkpoint-interval", "500ms",
                "flink.ui", "false",
                "sink.rest.retry.initial-delay", "100ms",
                "sink.rest.retry.max-delay", "1s"));
    }

    private SourceTruth publish(long events, long seed) throws Exception {
        Path truthDir = dir.resolve("truth-" + seed);
        GeneratorConfig generator = GeneratorConfig.builder().seed(seed).rate(Rate.MAX).events(events)
                .scenarios(Scenario.parseList("all")).snapshotOrders(50)
                .alerts(AlertRules.load(configuration())).build();
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(broker.port()))) {
            GeneratorRun.run(generator, new BrokerSink(bus), truthDir, null);
        }
        return SourceTruth.read(truthDir);
    }

    /** Waits until the API holds what the truth says (the join converges after the last message), then returns the check. */
    private DeliveryReport awaitTruth(SourceTruth truth) {
        DeliveryVerifier verifier = new DeliveryVerifier(new ReceivedReader(api.baseUrl()),
                XmlExtractions.load(configuration()));
        AtomicReference<DeliveryReport> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                last.set(verifier.verify(truth));
                return last.get().matches() && broker.depth(queue.name()) == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertion below shows what differs
        }
        return last.get();
    }

    private static String rendered(DeliveryReport report) {
        StringWriter text = new StringWriter();
        report.render(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void generatedChangesReachTheApiExactlyAsTheTruthSays() throws Exception {
        SourceTruth truth = publish(3_000, 21);
        try (FlinkPipeline pipeline = FlinkPipeline.start(configuration(), dir)) {
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
            assertThat(pipeline.alive()).isTrue();
        }
        assertThat(truth.alerts()).as("the scenario run raises alerts").isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth("cdc.dlq") == truth.deadLetters().size());
    }

    @Test
    void aJobCancelledMidRunResumesFromItsCheckpointWithoutLossOrDoubling() throws Exception {
        SourceTruth truth = publish(4_000, 22);
        ReceivedReader received = new ReceivedReader(api.baseUrl());
        FlinkPipeline first = FlinkPipeline.start(configuration(), dir);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> received.changeCount() >= 1_000);
        first.cancel(); // as a crash: no savepoint, messages after the last checkpoint unacknowledged
        assertThat(broker.depth(queue.name())).as("left for the second run").isPositive();
        try (FlinkPipeline second = FlinkPipeline.start(configuration(), dir)) {
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
    }

    @Test
    void withRocksDbStateAJobCancelledMidRunResumesFromItsIncrementalCheckpoint() throws Exception {
        Configuration rocksdb = configuration().with(Map.of("flink.state-backend", "rocksdb"));
        SourceTruth truth = publish(3_000, 24);
        ReceivedReader received = new ReceivedReader(api.baseUrl());
        FlinkPipeline first = FlinkPipeline.start(rocksdb, dir);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> received.changeCount() >= 1_000);
        first.cancel();
        try (FlinkPipeline second = FlinkPipeline.start(rocksdb, dir)) {
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
        try (var files = java.nio.file.Files.walk(dir.resolve("checkpoints"))) {
            assertThat(files.anyMatch(f -> f.getParent().getFileName().toString().equals("shared")
                    && java.nio.file.Files.isRegularFile(f)))
                    .as("incremental checkpoints share RocksDB's files between them").isTrue();
        }
    }

    @Test
    void anApiAnswering503ForAWhileGetsEverythingOnceItRecovers() throws Exception {
        faults(1.0);
        long retriesBefore = DeliveryProgress.jvm().retries();
        SourceTruth truth = publish(1_500, 23);
        try (FlinkPipeline pipeline = FlinkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> DeliveryProgress.jvm().retries() >= retriesBefore + 3);
            assertThat(new ReceivedReader(api.baseUrl()).changeCount()).as("nothing accepted while unavailable").isZero();
            assertThat(broker.depth(queue.name()) + 0).as("nothing acknowledged meanwhile").isPositive();
            faults(0.0);
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
    }

    @Test
    void inAShuffledArrivalOrderTheJoinStillEqualsTheTruth() throws Exception {
        // every scenario but S4: which type a column keeps follows the order changes were published in, which the
        // shuffle changes (text published before the first typed row is kept as text)
        String scenarios = "S1,S2,S3,S5,S6,X1,X2,X3,X4,X5,X6,X7,X8,F6,F10";
        Path truthDir = dir.resolve("truth-shuffled");
        GeneratorConfig generator = GeneratorConfig.builder().seed(25).rate(Rate.MAX).events(2_500L)
                .scenarios(Scenario.parseList(scenarios)).snapshotOrders(50).alerts(AlertRules.load(configuration())).build();
        MessageList generated = new MessageList();
        GeneratorRun.run(generator, generated, truthDir, null);
        List<BrokerMessage> shuffled = new ArrayList<>(generated.messages());
        Collections.shuffle(shuffled, new Random(25)); // items before their orders, updates before inserts, ...
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(broker.port()))) {
            for (BrokerMessage m : shuffled) {
                bus.publish(m);
            }
            bus.flush(Duration.ofSeconds(30));
        }
        SourceTruth truth = SourceTruth.read(truthDir);
        try (FlinkPipeline pipeline = FlinkPipeline.start(configuration(), dir)) {
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
    }

    @Test
    void whenAReaderIsBehindTheTextOfALaterRowWaitsForTheTablesFirstTypedRows() throws Exception {
        Path truthDir = dir.resolve("truth-skewed");
        GeneratorConfig generator = GeneratorConfig.builder().seed(28).rate(Rate.MAX).events(2_000L)
                .scenarios(Scenario.parseList("all")).snapshotOrders(50).alerts(AlertRules.load(configuration())).build();
        MessageList generated = new MessageList();
        GeneratorRun.run(generator, generated, truthDir, null);
        // Published in order, but grouped so that one reader takes every message except S4's (PRODUCTS with
        // STOCK_QTY as text), which go to the other: the first reader's stream holds the products' typed rows
        // behind everything published before them, and it is slowed (a few messages per checkpoint), while the
        // other reader has the text at once.
        List<BrokerMessage> messages = generated.messages();
        List<BrokerMessage> behind = messages.stream().filter(m -> !stockAsText(m)).toList();
        int firstProduct = behind.indexOf(behind.stream().filter(m -> m.topic().contains("/PRODUCTS/")).findFirst()
                .orElseThrow());
        assertThat(firstProduct).as("messages the slowed reader passes before the products' first typed row")
                .isGreaterThanOrEqualTo(20);
        assertThat(messages).as("S4's text").anyMatch(FlinkPipelineIT::stockAsText);
        publishGrouped(messages, m -> stockAsText(m) ? m.topic() + "|" + m.property("cdc_key") : "one-reader");
        SourceTruth truth = SourceTruth.read(truthDir);
        Configuration skewed = configuration().with(Map.of("flink.source-parallelism", "2",
                "flink.source.max-unacknowledged", Integer.toString(firstProduct / 2),
                "flink.source.max-messages-per-fetch", "5"));
        try (FlinkPipeline pipeline = FlinkPipeline.start(skewed, dir)) {
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
    }

    /** A PRODUCTS change whose schema sends STOCK_QTY as text (S4). */
    private static boolean stockAsText(BrokerMessage m) {
        if (!m.topic().contains("/PRODUCTS/") || m.body().length == 0) {
            return false;
        }
        DebeziumJsonCodec.Envelope envelope = new DebeziumJsonCodec().read(m.body());
        return envelope.schema() != null && DebeziumJsonCodec.valueSchema(envelope.schema()).fields().stream()
                .anyMatch(f -> f.name().equals("STOCK_QTY") && f.schema().type() == SchemaType.STRING);
    }

    /** Publishes as the pipeline's publisher does (persistent, in order, properties), under the groups given. */
    private void publishGrouped(List<BrokerMessage> messages, Function<BrokerMessage, String> group) throws Exception {
        try (Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.port()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(null);
            for (BrokerMessage m : messages) {
                BytesMessage out = session.createBytesMessage();
                out.writeBytes(m.body());
                for (Map.Entry<String, String> p : m.properties().entrySet()) {
                    out.setStringProperty(p.getKey(), p.getValue());
                }
                out.setStringProperty("JMSXGroupID", group.apply(m));
                producer.send(session.createTopic(m.topic()), out, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                        Message.DEFAULT_TIME_TO_LIVE);
            }
        }
    }

    @Test
    void anOutageLongerThanAnyRetryBudgetTurnsNothingIntoDeadLettersAndDeliversEverythingOnceAfter() throws Exception {
        faults(1.0); // every write answered 503
        SourceTruth truth = publish(300, 26);
        long published = broker.depth(queue.name());
        // tiny waits: the 30 attempts the sink used to give a request before dead-lettering it pass in under a second
        Configuration c = configuration().with(Map.of("sink.rest.retry.initial-delay", "10ms",
                "sink.rest.retry.max-delay", "20ms", "sink.rest.circuit.open-for", "50ms"));
        long retriesBefore = DeliveryProgress.jvm().retries();
        try (FlinkPipeline pipeline = FlinkPipeline.start(c, dir)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> DeliveryProgress.jvm().retries() >= retriesBefore + 200);
            assertThat(new ReceivedReader(api.baseUrl()).changeCount()).as("nothing accepted while unavailable").isZero();
            assertThat(broker.depth(queue.name())).as("nothing acknowledged meanwhile").isEqualTo(published);
            assertThat(broker.depth("cdc.dlq")).as("only the bad messages are dead letters, never an undelivered one")
                    .isLessThanOrEqualTo(truth.deadLetters().size());
            assertThat(pipeline.alive()).isTrue();

            faults(0.0);
            DeliveryReport report = awaitTruth(truth);
            assertThat(report.matches()).as(rendered(report)).isTrue();
        }
        assertThat(broker.depth("cdc.dlq")).isEqualTo(truth.deadLetters().size());
    }

    private void faults(double unavailableRatio) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/admin/faults"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"unavailable_ratio\":" + unavailableRatio
                        + ",\"latency_ms\":0,\"latency_ratio\":0.0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
