package dev.cdc.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.schema.TableMapping;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.VerificationReport;
import dev.cdc.spark.job.SparkPipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture A end to end in one JVM: generator -> embedded Artemis (AMQP) -> Spark (local, the cdc-broker
 * source) -> the ODS on embedded PostgreSQL, ending with the verifier against the generator's truth.
 */
class SparkPipelineIT {

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private EmbeddedPostgres postgres;
    private QueueSpec queue;
    private Path config;

    @BeforeEach
    void startInfra() throws Exception {
        int brokerPort = freePort();
        int pgPort = freePort();
        broker = EmbeddedBroker.start("127.0.0.1", brokerPort, dir.resolve("broker"), 256L << 20);
        queue = new QueueSpec("cdc.events", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5, "cdc.dead", 256L << 20,
                QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED); // leased, as configs/cdc.yaml ships it
        broker.provision(queue);
        broker.provision(new QueueSpec("cdc.dlq", List.of(TopicSubscription.parse("cdc/dlq/>")), 5, "cdc.dead", 64L << 20));
        postgres = EmbeddedPostgres.start("127.0.0.1", pgPort, dir.resolve("pg"), dir.resolve("pg-work"));
        postgres.ensureDatabase("cdc", "cdc_user", "it-pass");
        config = Path.of("..", "configs", "cdc.yaml"); // the shipped configuration, ports and password from the environment
        overrides = Map.of("SOLACE_PORT", Integer.toString(brokerPort), "POSTGRES_PORT", Integer.toString(pgPort),
                "POSTGRES_PASSWORD", "it-pass");
    }

    private Map<String, String> overrides;

    @AfterEach
    void stopInfra() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Configuration configuration() {
        return Configuration.load(config, overrides).with(Map.of(
                "spark.queue", ArtemisSubscriptions.consumerAddress(queue),
                "spark.checkpoint-dir", dir.resolve("checkpoint").toString(),
                "spark.ui", "false",
                "spark.max-events-per-trigger", "1500",
                "spark.trigger-interval", "200ms"));
    }

    private SourceTruth publish(long events, long seed, Path truthDir) throws Exception {
        GeneratorConfig generator = GeneratorConfig.builder().seed(seed).rate(Rate.MAX).events(events)
                .scenarios(Scenario.parseList("all")).snapshotOrders(50).build();
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(broker.port()))) {
            GeneratorRun.run(generator, new BrokerSink(bus), truthDir, null);
        }
        return SourceTruth.read(truthDir);
    }

    private VerificationReport verify(SourceTruth truth) throws Exception {
        try (OdsDatabase ods = OdsDatabase.connect(postgres.jdbcUrl("cdc"), "cdc_user", "it-pass", 1)) {
            return new OdsVerifier(ods.dataSource(), TableMapping.defaults()).verify(truth);
        }
    }

    @Test
    void generatedChangesLandInTheOdsExactlyAsTheTruthSays() throws Exception {
        SourceTruth truth = publish(3_000, 11, dir.resolve("truth"));
        java.util.concurrent.atomic.AtomicInteger mostTasks = new java.util.concurrent.atomic.AtomicInteger();
        try (SparkPipeline pipeline = SparkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                var progress = pipeline.progress().snapshot();
                mostTasks.accumulateAndGet(progress.slices(), Math::max);
                return broker.depth(queue.name()) == 0 && progress.events() >= 3_000;
            });
            assertThat(pipeline.progress().snapshot().recomputed()).as("orders recomputed on the executors").isPositive();
        }
        VerificationReport report = verify(truth);
        assertThat(report.matches()).as(report.render()).isTrue();
        // local[2]: a batch's changes are written by two tasks at once, not collected to the driver
        assertThat(mostTasks.get()).as("tasks that applied one batch").isEqualTo(2);
        assertThat(broker.depth("cdc.dlq")).as("dead letters on the DLQ topics").isEqualTo(truth.deadLetters().size());
    }

    @Test
    void aConsumerStoppedMidRunResumesFromItsCheckpointWithoutLossOrDoubling() throws Exception {
        SourceTruth truth = publish(4_000, 12, dir.resolve("truth"));
        try (SparkPipeline first = SparkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.progress().snapshot().events() >= 1_500);
        } // stopped with most of the queue still waiting, the last batch perhaps applied but not acknowledged
        assertThat(broker.depth(queue.name())).as("left for the second run").isPositive();
        try (SparkPipeline second = SparkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broker.depth(queue.name()) == 0 && second.progress().snapshot().batches() > 0);
        }
        VerificationReport report = verify(truth);
        assertThat(report.matches()).as(report.render()).isTrue();
        try (OdsDatabase ods = OdsDatabase.connect(postgres.jdbcUrl("cdc"), "cdc_user", "it-pass", 1);
             var c = ods.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM cdc_dlq")) {
            rs.next();
            assertThat(rs.getLong(1)).as("one dead-letter record per bad message, however often delivered")
                    .isEqualTo(truth.deadLetters().size());
        }
    }

    @Test
    void aRemovedCheckpointLosesNothing() throws Exception {
        SourceTruth truth = publish(4_000, 13, dir.resolve("truth"));
        try (SparkPipeline first = SparkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.progress().snapshot().events() >= 1_500);
        }
        assertThat(broker.depth(queue.name())).as("left for the second run").isPositive();
        // the operator removes the checkpoint: the new query numbers its batches from 0 again, below the batch ids
        // this consumer id already applied; none of them may count as applied before
        dev.cdc.infra.DataDirectory.delete(dir.resolve("checkpoint"));
        try (SparkPipeline second = SparkPipeline.start(configuration(), dir)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broker.depth(queue.name()) == 0 && second.progress().snapshot().batches() > 0);
        }
        VerificationReport report = verify(truth);
        assertThat(report.matches()).as(report.render()).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
