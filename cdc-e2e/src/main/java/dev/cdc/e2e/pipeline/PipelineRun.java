package dev.cdc.e2e.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.DataDirectory;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.infra.InfraSettings;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.restapi.RestApiOptions;
import dev.cdc.restapi.RestApiServer;
import dev.cdc.restapi.RestApiSettings;
import dev.cdc.restapi.client.ReceivedReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A pipeline on this machine, as the demo and the pipeline benchmark run it: the embedded broker in this process
 * with the consumer's target (PostgreSQL for Spark, the REST API for Flink; data under a fresh directory), the
 * consumer in its own JVM reporting progress on its stdout, and generators publishing to the broker.
 */
public final class PipelineRun implements AutoCloseable {

    private final ConsumerProcess architecture;
    private final EmbeddedBroker broker;
    private final EmbeddedPostgres postgres;
    private final RestApiServer api;
    private final QueueSpec queue;
    private final String deadLetterQueue;
    private final ProcessBuilder consumerBuilder;
    private volatile Process consumer;
    private final Configuration config;
    private final Path dir;
    private final AtomicReference<JsonNode> progress = new AtomicReference<>();
    private final Histogram latencies = ChangeLatency.histogram();

    private PipelineRun(ConsumerProcess architecture, EmbeddedBroker broker, EmbeddedPostgres postgres, RestApiServer api,
                        QueueSpec queue, String deadLetterQueue, ProcessBuilder consumerBuilder, Configuration config,
                        Path dir) {
        this.architecture = architecture;
        this.broker = broker;
        this.postgres = postgres;
        this.api = api;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.consumerBuilder = consumerBuilder;
        this.config = config;
        this.dir = dir;
    }

    /**
     * Starts everything in a fresh {@code dir} and waits until the consumer runs.
     *
     * @throws IllegalStateException if the consumer does not start (its log is in {@code dir/<architecture>.log})
     */
    public static PipelineRun start(ConsumerProcess architecture, Configuration c, Path home, Path dir, Path configFile)
            throws Exception {
        List<QueueSpec> queues = BrokerSettings.queues(c);
        QueueSpec queue = queues.stream().filter(q -> q.subscriptions().stream()
                        .anyMatch(t -> t.matches("cdc/oracle/SALES/ORDERS/insert"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no configured queue subscribes to the change topics"
                        + " (cdc/oracle/SALES/...); see queues in configs/cdc.yaml"));
        String deadLetterQueue = queues.stream().filter(q -> q.subscriptions().stream()
                .anyMatch(t -> t.matches("cdc/dlq/SALES/ORDERS"))).map(QueueSpec::name).findFirst().orElse(null);
        DataDirectory.delete(dir);
        Files.createDirectories(dir);
        Path dataDir = InfraSettings.dataDir(c, home);
        EmbeddedBroker broker = EmbeddedBroker.start(c.get(BrokerSettings.HOST), c.get(BrokerSettings.PORT),
                dir.resolve("broker"), (long) c.get(InfraSettings.BROKER_GLOBAL_MAX_MB) << 20);
        EmbeddedPostgres postgres = null;
        RestApiServer api = null;
        PipelineRun run = null;
        try {
            for (QueueSpec q : queues) {
                broker.provision(q);
            }
            List<String> args = new ArrayList<>(List.of("--progress", "json", "--progress-interval", "1s"));
            String token = null;
            if (architecture == ConsumerProcess.SPARK) {
                postgres = EmbeddedPostgres.start(c.get(PostgresSettings.HOST), c.get(PostgresSettings.PORT),
                        dir.resolve("postgres"), dataDir.resolve("postgres-work"));
                postgres.ensureDatabase(c.get(PostgresSettings.DB), c.get(PostgresSettings.USER), c.get(PostgresSettings.PASSWORD));
                args.addAll(List.of("--set", "spark.queue=" + ArtemisSubscriptions.consumerAddress(queue),
                        "--set", "spark.checkpoint-dir=" + dir.resolve("checkpoint")));
            } else {
                token = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16)); // this run's only
                api = RestApiServer.start(RestApiOptions.defaults(token, dir.resolve("rest-api"))
                        .withHost(c.get(RestApiSettings.HOST)).withPort(c.get(RestApiSettings.PORT)));
                args.addAll(List.of("--set", "flink.queue=" + ArtemisSubscriptions.consumerAddress(queue),
                        "--set", "flink.checkpoint-dir=" + dir.resolve("checkpoints"),
                        "--set", "sink.rest.url=" + api.baseUrl()));
            }
            if (configFile != null) {
                args.addAll(List.of("--config", configFile.toString()));
            }
            ProcessBuilder builder = architecture.builder(home, args)
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(architecture.label() + ".log").toFile()));
            if (token != null) {
                builder.environment().put("REST_API_TOKEN", token); // not on the command line, where ps shows it
            }
            run = new PipelineRun(architecture, broker, postgres, api, queue, deadLetterQueue, builder, c, dir);
            run.startConsumer();
            return run;
        } catch (Exception e) {
            if (run != null && run.consumer != null) {
                run.consumer.destroyForcibly();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (api != null) {
                api.close();
            }
            broker.close();
            throw e;
        }
    }

    /** Starts the consumer and waits until it reports progress. */
    private void startConsumer() throws IOException, InterruptedException {
        progress.set(null);
        consumer = consumerBuilder.start();
        readProgress(consumer);
        long ready = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (progress.get() == null && consumer.isAlive() && System.nanoTime() < ready) {
            consumer.waitFor(500, TimeUnit.MILLISECONDS);
        }
        if (progress.get() == null) {
            consumer.destroyForcibly();
            throw new IllegalStateException("the " + architecture.label() + " consumer did not start; see " + log());
        }
    }

    /** Kills the consumer as a crash would (SIGKILL: no shutdown, nothing flushed) and waits for it to be gone. */
    public void killConsumer() throws InterruptedException {
        consumer.destroyForcibly();
        consumer.waitFor(60, TimeUnit.SECONDS);
    }

    /** Starts the consumer again (after a stop or a kill): it resumes from its checkpoint. */
    public void restartConsumer() throws IOException, InterruptedException {
        if (consumer.isAlive()) {
            throw new IllegalStateException("the consumer still runs");
        }
        startConsumer();
    }

    /** Publishes a generator run on its own thread; {@code published} follows its progress. */
    public Thread publish(GeneratorConfig generator, Path truthDir, AtomicLong published, AtomicReference<Exception> failure) {
        Thread t = new Thread(() -> {
            try (AmqpMessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(config))) {
                // the truth predicts the alerts the configuration makes Architecture B raise
                GeneratorConfig withAlerts = generator.toBuilder().alerts(AlertRules.load(config)).build();
                GeneratorRun.Summary summary = GeneratorRun.run(withAlerts, new BrokerSink(bus), truthDir,
                        (sent, bytes, elapsed) -> published.set(sent), () -> !consumer.isAlive());
                published.set(summary.events());
            } catch (Exception e) {
                failure.set(e);
            }
        }, "pipeline-generator");
        t.start();
        return t;
    }

    public QueueSpec queue() {
        return queue;
    }

    public long lag() {
        return broker.depth(queue.name());
    }

    /** Messages on the dead-letter topics' queue, or -1 when none is configured. */
    public long deadLetterTopicDepth() {
        return deadLetterQueue == null ? -1 : broker.depth(deadLetterQueue);
    }

    /** The consumer's last progress report. */
    public JsonNode progress() {
        return progress.get();
    }

    public boolean consumerAlive() {
        return consumer.isAlive();
    }

    public int consumerExitCode() {
        return consumer.exitValue();
    }

    public Path log() {
        return dir.resolve(architecture.label() + ".log");
    }

    public ConsumerProcess architecture() {
        return architecture;
    }

    /** The REST API target's address (Architecture B only). */
    public String apiUrl() {
        if (api == null) {
            throw new IllegalStateException("no REST API in a " + architecture.label() + " run");
        }
        return api.baseUrl();
    }

    /** What the REST API target received (Architecture B only). */
    public ReceivedReader api() {
        if (api == null) {
            throw new IllegalStateException("no REST API in a " + architecture.label() + " run");
        }
        return new ReceivedReader(api.baseUrl());
    }

    /** Waits up to {@code millis} for the consumer to exit (a pause that ends early if it dies). */
    public void pause(long millis) throws InterruptedException {
        consumer.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Starts collecting change latencies afresh (after a warm-up, or for a new rate). */
    public synchronized void resetLatencies() {
        latencies.reset();
    }

    /** Latencies (ms) of the changes applied since the last reset. */
    public synchronized Histogram latencies() {
        return latencies.copy();
    }

    /** The ODS (Architecture A only). */
    public OdsDatabase ods() {
        if (postgres == null) {
            throw new IllegalStateException("no ODS in a " + architecture.label() + " run");
        }
        return OdsDatabase.connect(postgres.jdbcUrl(config.get(PostgresSettings.DB)), config.get(PostgresSettings.USER),
                config.get(PostgresSettings.PASSWORD), 1);
    }

    /** Stops the consumer gracefully (SIGTERM: Spark between batches, Flink with a savepoint), forcibly after two minutes. */
    public void stopConsumer() throws InterruptedException {
        consumer.destroy();
        if (!consumer.waitFor(120, TimeUnit.SECONDS)) {
            consumer.destroyForcibly();
        }
    }

    private void readProgress(Process from) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("PROGRESS ")) {
                        JsonNode p = DebeziumJsonCodec.mapper().readTree(line.substring("PROGRESS ".length()));
                        record(p.path("histogram").asText(""));
                        progress.set(p);
                    }
                }
            } catch (IOException e) {
                return; // the consumer ended; its exit code tells the rest
            }
        }, "pipeline-progress");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void record(String encoded) {
        if (!encoded.isEmpty()) {
            latencies.add(ChangeLatency.decode(encoded));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (consumer.isAlive()) {
                stopConsumer();
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
                if (api != null) {
                    api.close();
                }
            } finally {
                broker.close();
            }
        }
    }
}
