package dev.cdc.spark.job;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.spark.source.BrokerSourceProvider;
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
 * by the core's {@link OdsWriter}. Spark only schedules, checkpoints and shows; the rules live in the core.
 */
public final class SparkPipeline implements AutoCloseable {

    private final SparkSession spark;
    private final StreamingQuery query;
    private final OdsDatabase ods;
    private final DeadLetterPublisher deadLetters;
    private final BatchProgress progress;

    private SparkPipeline(SparkSession spark, StreamingQuery query, OdsDatabase ods, DeadLetterPublisher deadLetters,
                          BatchProgress progress) {
        this.spark = spark;
        this.query = query;
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
        config.validate(settings, List.of("broker", "postgres", "ods", "spark", "xml"));
        XmlExtractions.load(config);
        OdsSettings.tableMapping(config);
    }

    public static SparkPipeline start(Configuration config, Path home) throws Exception {
        validate(config);
        OdsDatabase ods = OdsDatabase.connect(config, config.get(OdsSettings.POOL_SIZE));
        ods.migrate();
        OdsWriter writer = new OdsWriter(ods.dataSource(), new OdsWriter.Options(config.get(OdsSettings.CONSUMER_ID),
                OdsSettings.tableMapping(config), XmlExtractions.load(config), EnrichedOrderDefinition.SALES,
                config.get(OdsSettings.ADD_COLUMNS), config.get(OdsSettings.RETRY_ATTEMPTS),
                config.get(OdsSettings.RETRY_INITIAL), config.get(OdsSettings.RETRY_MAX))
                .withWindowLateness(config.get(OdsSettings.WINDOW_LATENESS)));
        // the dead letters are in cdc_dlq once their batch commits: a broker that refuses the copy is an alert, not a stall
        var brokerEndpoint = BrokerSettings.endpoint(config);
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(() -> AmqpMessageBus.connect(brokerEndpoint),
                Duration.ofSeconds(10), DeadLetterPublisher.Keeper.alreadyStored(), "cdc_dlq");
        BatchProgress progress = new BatchProgress();
        OdsBatchSink sink = new OdsBatchSink(writer, deadLetters, progress);

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
                .config("spark.sql.streaming.stopGracefullyOnShutdown", true)
                .getOrCreate();
        Path checkpoint = home.resolve(config.get(SparkSettings.CHECKPOINT)).toAbsolutePath().normalize();
        var endpoint = BrokerSettings.endpoint(config);
        Dataset<Row> messages = spark.readStream().format(BrokerSourceProvider.NAME)
                .option("host", endpoint.host())
                .option("port", endpoint.port())
                .option("username", config.get(BrokerSettings.USERNAME))
                .option("password", config.get(BrokerSettings.PASSWORD))
                .option("queue", config.get(SparkSettings.QUEUE))
                .option("maxEventsPerTrigger", config.get(SparkSettings.MAX_EVENTS))
                .load();
        VoidFunction2<Dataset<Row>, Long> apply = (batch, id) -> sink.apply(batch, id);
        StreamingQuery query = messages.writeStream().queryName("cdc-ods")
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.ProcessingTime(config.get(SparkSettings.TRIGGER).toMillis()))
                .foreachBatch(apply)
                .start();
        return new SparkPipeline(spark, query, ods, deadLetters, progress);
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
            query.stop();
        } finally {
            try {
                spark.stop();
            } finally {
                deadLetters.close();
                ods.close();
            }
        }
    }
}
