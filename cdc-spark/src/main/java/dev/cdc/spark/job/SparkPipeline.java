package dev.cdc.spark.job;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.spark.source.BrokerSourceProvider;
import dev.cdc.spark.source.SourcePause;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Architecture A wired from configuration: the broker queue as a Spark stream, each micro-batch applied to the ODS
 * by the core's {@link OdsWriter} on the executors ({@link OdsBatchSink}). Spark schedules, distributes, checkpoints
 * and shows; the rules live in the core.
 */
public final class SparkPipeline implements AutoCloseable {

    private final SparkSession spark;
    private final Dataset<Row> messages;
    private final OdsBatchSink sink;
    private final String checkpoint;
    private final CheckpointLock lock;
    private final Duration trigger;
    private final OdsDatabase ods;
    private final DeadLetterPublisher deadLetters;
    private final BatchProgress progress;
    private volatile StreamingQuery query;

    private SparkPipeline(SparkSession spark, Dataset<Row> messages, OdsBatchSink sink, String checkpoint,
                          CheckpointLock lock, Duration trigger, OdsDatabase ods, DeadLetterPublisher deadLetters,
                          BatchProgress progress) {
        this.spark = spark;
        this.messages = messages;
        this.sink = sink;
        this.checkpoint = checkpoint;
        this.lock = lock;
        this.trigger = trigger;
        this.ods = ods;
        this.deadLetters = deadLetters;
        this.progress = progress;
    }

    /** Validates the configuration (every problem at once, naming its key). */
    public static void validate(Configuration config) {
        List<dev.cdc.common.config.Setting<?>> settings = new ArrayList<>(BrokerSettings.all(config));
        settings.addAll(PostgresSettings.ALL);
        settings.addAll(OdsSettings.all(config));
        settings.addAll(SparkSettings.ALL);
        settings.addAll(XmlExtractions.settings(config));
        settings.addAll(AdmissionSettings.settings(config));
        List<String> sections = new ArrayList<>(List.of("broker", "postgres", "ods", "spark", "xml"));
        sections.addAll(AdmissionSettings.SECTIONS);
        config.validate(settings, sections);
        XmlExtractions.load(config);
        OdsSettings.tableMapping(config);
        AdmissionSettings.from(config);
    }

    public static SparkPipeline start(Configuration config, Path home) throws Exception {
        validate(config);
        String checkpoint = checkpointLocation(config, home);
        CheckpointLock lock = CheckpointLock.acquire(checkpoint); // a second consumer on it is refused at once
        OdsDatabase ods = null;
        DeadLetterPublisher deadLetters = null;
        try {
            ods = OdsDatabase.connect(config, config.get(OdsSettings.POOL_SIZE));
            ods.migrate();
            var brokerEndpoint = BrokerSettings.endpoint(config);
            AmqpMessageBus.connect(brokerEndpoint).close(); // the broker must be there at start
            // the dead letters are in cdc_dlq once their batch commits: a DLQ topic that does not take its copy
            // within the timeout is an alert, not a failed batch
            deadLetters = new DeadLetterPublisher(() -> AmqpMessageBus.connect(brokerEndpoint), Duration.ofSeconds(10),
                    DeadLetterPublisher.Keeper.alreadyStored(), "cdc_dlq");
            return start(config, checkpoint, lock, ods, deadLetters);
        } catch (Exception | Error e) {
            // nothing half-started is left behind: the caller may try again while the database or broker is away
            if (deadLetters != null) {
                deadLetters.close();
            }
            if (ods != null) {
                ods.close();
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** A local path (relative to the project directory), or a URI Spark's file systems take as is (hdfs://, s3a://). */
    static String checkpointLocation(Configuration config, Path home) {
        String configured = config.get(SparkSettings.CHECKPOINT);
        if (configured.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return configured;
        }
        return home.resolve(configured).toAbsolutePath().normalize().toString();
    }

    private static SparkPipeline start(Configuration config, String checkpoint, CheckpointLock lock, OdsDatabase ods,
                                       DeadLetterPublisher deadLetters) throws Exception {
        OdsWriter.Options options = OdsSettings.writerOptions(config);
        OdsWriter writer = new OdsWriter(ods.dataSource(), options); // the driver's: a batch's end
        BatchProgress progress = new BatchProgress();
        OdsBatchSink sink = new OdsBatchSink(writer, new ExecutorOds.Spec(config.asMap()), options.join() != null,
                deadLetters, progress);

        SparkSession.Builder builder = SparkSession.builder().appName("cdc-spark");
        if (System.getProperty("spark.master") == null) {
            // run by ./cdc: local mode, every server on 127.0.0.1; under spark-submit the cluster's settings stand
            builder.master(config.get(SparkSettings.MASTER))
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1");
        }
        SparkSession spark = builder
                .config("spark.ui.enabled", config.get(SparkSettings.UI))
                .config("spark.ui.port", config.get(SparkSettings.UI_PORT))
                .config("spark.sql.shuffle.partitions", 2)
                .config("spark.sql.adaptive.enabled", false) // streaming turns it off anyway, with a warning
                .config("spark.sql.streaming.stopGracefullyOnShutdown", true)
                .getOrCreate();
        var endpoint = BrokerSettings.endpoint(config);
        Dataset<Row> messages = spark.readStream().format(BrokerSourceProvider.NAME)
                .option("host", endpoint.host())
                .option("port", endpoint.port())
                .option("username", config.get(BrokerSettings.USERNAME))
                .option("password", config.get(BrokerSettings.PASSWORD))
                .option("queue", config.get(SparkSettings.QUEUE))
                .option("lease", BrokerSettings.lease(config, config.get(SparkSettings.QUEUE)).orElse(""))
                .option("maxEventsPerTrigger", config.get(SparkSettings.MAX_EVENTS))
                .option("maxBytesPerTrigger", SparkSettings.maxMbPerTrigger(config, Runtime.getRuntime().maxMemory()) << 20)
                .option("prefetch", SparkSettings.prefetch(config, Runtime.getRuntime().maxMemory()))
                .option("idleTimeoutMs", config.get(BrokerSettings.IDLE_TIMEOUT).toMillis())
                .load();
        SparkPipeline pipeline = new SparkPipeline(spark, messages, sink, checkpoint, lock,
                config.get(SparkSettings.TRIGGER), ods, deadLetters, progress);
        pipeline.startQuery();
        return pipeline;
    }

    /**
     * Starts the query again after it failed (the database or broker gone longer than a batch waits, a bug): it
     * resumes from the checkpoint, and whatever the failed batch held was never acknowledged, so it comes again.
     */
    public void restartQuery() throws java.util.concurrent.TimeoutException {
        if (query.isActive()) {
            throw new IllegalStateException("the query still runs");
        }
        startQuery();
    }

    private void startQuery() throws java.util.concurrent.TimeoutException {
        SourcePause.resume();
        VoidFunction2<Dataset<Row>, Long> apply = (batch, id) -> sink.apply(batch, id);
        query = messages.writeStream().queryName("cdc-ods")
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.ProcessingTime(trigger.toMillis()))
                .foreachBatch(apply)
                .start();
    }

    /**
     * Waits until no batch runs; a batch waiting out an unreachable database is told to give up. Stopping the query interrupts its thread but not the Spark job of a batch under way,
     * which then meets a stopped context and fails loudly; between batches there is nothing to interrupt.
     */
    private void awaitBetweenBatches(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
                if (sink.waitingForDatabase()) {
                    sink.stopWaiting(); // that batch gives up now; nothing of it is acknowledged
                }
                query.awaitTermination(20); // returns at once if the query ends; else a short pause
            }
        } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
            return; // it failed by itself: nothing runs any more
        }
    }

    public StreamingQuery query() {
        return query;
    }

    public BatchProgress progress() {
        return progress;
    }

    /** The Spark UI's address, if it serves one. */
    public String uiUrl() {
        return spark.sparkContext().uiWebUrl().isDefined() ? spark.sparkContext().uiWebUrl().get() : null;
    }

    @Override
    public void close() throws Exception {
        try {
            SourcePause.pause(); // no new batch: under a backlog the query would never fall idle
            awaitBetweenBatches(Duration.ofMinutes(1));
            query.stop();
        } finally {
            try {
                spark.stop();
            } finally {
                try {
                    sink.close();
                    deadLetters.close();
                    ods.close();
                } finally {
                    if (lock != null) {
                        lock.close();
                    }
                }
            }
        }
    }
}
