package dev.cdc.e2e.pipeline;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.e2e.cluster.LocalCluster;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.DataDirectory;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.InfraSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * A pipeline on this machine, as the demo, the pipeline benchmark and the scenarios run it: the embedded broker in
 * this process with the consumer's {@link Target} (data under a fresh directory), the
 * consumer in its own JVM reporting progress on its stdout, and generators publishing to the broker.
 */
public final class PipelineRun implements AutoCloseable {

    private final ConsumerProcess architecture;
    private volatile EmbeddedBroker broker; // null while stopped (scenario F3)
    private final Target target;
    private final List<QueueSpec> queues;
    private final QueueSpec queue;
    private final String deadLetterQueue;
    private final ProcessBuilder consumerBuilder;
    private final LocalCluster cluster;
    private volatile Process consumer;
    private dev.cdc.common.metrics.MetricsServer brokerMetrics; // null when its port was taken
    /** What this run's generators published: served with the broker's metrics, both parts of this process. */
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry generatorMetrics =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    private final Configuration config;
    private final Path dir;
    private final Path home;
    private final AtomicReference<ConsumerProgress> progress = new AtomicReference<>();
    private final AtomicLong consumedBefore = new AtomicLong(); // by the consumer JVMs before this one
    private final Histogram latencies = ChangeLatency.histogram();

    private PipelineRun(ConsumerProcess architecture, EmbeddedBroker broker, Target target, List<QueueSpec> queues,
                        QueueSpec queue, String deadLetterQueue,
                        ProcessBuilder consumerBuilder, LocalCluster cluster,
                        Configuration config, Path dir, Path home) {
        this.architecture = architecture;
        this.cluster = cluster;
        this.broker = broker;
        this.target = target;
        this.queues = queues;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.consumerBuilder = consumerBuilder;
        this.config = config;
        this.dir = dir;
        this.home = home;
    }

    /**
     * Starts everything in a fresh {@code dir} and waits until the consumer runs.
     *
     * @throws IllegalStateException if the consumer does not start (its log is in {@code dir/<architecture>.log})
     */
    public static PipelineRun start(ConsumerProcess architecture, Configuration c, Path home, Path dir, Path configFile)
            throws Exception {
        return start(architecture, c, home, dir, configFile, ConsumerOptions.NONE);
    }

    /**
     * Starts everything in a fresh {@code dir} as {@link #start(ConsumerProcess, Configuration, Path, Path, Path)}
     * does, the consumer with {@code options} (settings after the run's own, so they win; JVM options).
     */
    public static PipelineRun start(ConsumerProcess architecture, Configuration c, Path home, Path dir, Path configFile,
                                    ConsumerOptions options) throws Exception {
        List<QueueSpec> queues = BrokerSettings.queues(c);
        QueueSpec queue = queues.stream().filter(q -> q.subscriptions().stream()
                        .anyMatch(t -> t.matches("cdc/oracle/SALES/ORDERS/insert"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no configured queue subscribes to the change topics"
                        + " (cdc/oracle/SALES/...); see queues in configs/cdc.yaml"));
        String deadLetterQueue = queues.stream().filter(q -> q.subscriptions().stream()
                .anyMatch(t -> t.matches("cdc/dlq/SALES/ORDERS"))).map(QueueSpec::name).findFirst().orElse(null);
        DataDirectory.delete(dir);
        Files.createDirectories(dir);
        EmbeddedBroker broker = EmbeddedBroker.start(c.get(BrokerSettings.HOST), c.get(BrokerSettings.PORT),
                dir.resolve("broker"), (long) c.get(InfraSettings.BROKER_GLOBAL_MAX_MB) << 20);
        Target target = null;
        PipelineRun run = null;
        LocalCluster cluster = null;
        try {
            for (QueueSpec q : queues) {
                broker.provision(q);
            }
            target = Target.start(architecture, c, home, dir);
            List<String> args = new ArrayList<>(List.of("--progress", "json", "--progress-interval", "1s"));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(architecture.queueSetting(), ArtemisSubscriptions.consumerAddress(queue));
            settings.put(architecture.checkpointSetting(), architecture.checkpointDir(dir).toString());
            settings.putAll(target.consumerSettings());
            settings.putAll(options.settings()); // the caller's win
            settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            if (configFile != null) {
                args.addAll(List.of("--config", configFile.toString()));
            }
            ProcessBuilder builder;
            if (options.cluster()) {
                Path jobJar = ConsumerProcess.jobJar(home, architecture);
                cluster = architecture.startCluster(home, dir.resolve("cluster"), 2);
                builder = cluster.submit(jobJar, architecture.mainClass(), args);
            } else {
                builder = architecture.builder(home, args, options.javaOptions());
            }
            builder.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(architecture.label() + ".log").toFile()));
            builder.environment().putAll(target.consumerEnvironment());
            run = new PipelineRun(architecture, broker, target, queues, queue, deadLetterQueue, builder, cluster, c,
                    dir, home);
            run.serveBrokerMetrics();
            run.startConsumer();
            return run;
        } catch (Exception e) {
            if (run != null && run.consumer != null) {
                run.consumer.destroyForcibly();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (target != null) {
                target.close();
            }
            broker.close();
            throw e;
        }
    }

    /**
     * The broker's queues in Prometheus' format, as ./cdc infra serves them, what the run's generators published
     * (as ./cdc generate serves it) and the target's figures (PostgreSQL's); said and left out if the port is taken.
     */
    private void serveBrokerMetrics() {
        dev.cdc.infra.BrokerMetrics queues = new dev.cdc.infra.BrokerMetrics(() -> broker, this.queues);
        try {
            brokerMetrics = dev.cdc.common.metrics.MetricsServer.start(config.get(InfraSettings.METRICS_HOST),
                    config.get(InfraSettings.METRICS_PORT), () -> queues.scrape() + generatorMetrics.scrape()
                            + target.scrape());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(PipelineRun.class).warn("no broker metrics: {} (infra.metrics-port)",
                    e.getMessage());
        }
    }

    /** Where the broker's metrics are served, or null. */
    public String brokerMetricsUrl() {
        return brokerMetrics == null ? null : brokerMetrics.url();
    }

    /** Starts the consumer and waits until it reports progress. */
    private void startConsumer() throws IOException, InterruptedException {
        ConsumerProgress last = progress.get();
        if (last != null) {
            consumedBefore.addAndGet(last.events());
        }
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

    /** The local cluster the job runs on, or null when it runs in the consumer's own JVM. */
    public LocalCluster cluster() {
        return cluster;
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
        return publish(generator, truthDir, published, failure, () -> !consumer.isAlive());
    }

    /**
     * Publishes a generator run on its own thread until it ends or {@code stop} says so; the scenarios publish on
     * through a dead consumer, a stopped broker (the client reconnects by itself) or a stopped database.
     */
    public Thread publish(GeneratorConfig generator, Path truthDir, AtomicLong published, AtomicReference<Exception> failure,
                          BooleanSupplier stop) {
        Thread t = new Thread(() -> {
            try (AmqpMessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(config))) {
                // the truth predicts the alerts the configuration makes Architecture B raise
                GeneratorConfig withAlerts = generator.toBuilder().alerts(AlertRules.load(config)).build();
                GeneratorRun.Summary summary = GeneratorRun.run(withAlerts,
                        new dev.cdc.generator.output.MeteredSink(new BrokerSink(bus), generatorMetrics), truthDir,
                        (sent, bytes, elapsed) -> published.set(sent), stop);
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

    /** Messages waiting in the change queue, or -1 while the broker is stopped. */
    public long lag() {
        EmbeddedBroker b = broker;
        return b == null ? -1 : b.depth(queue.name());
    }

    /** Messages on the dead-letter topics' queue, or -1 when none is configured or the broker is stopped. */
    public long deadLetterTopicDepth() {
        EmbeddedBroker b = broker;
        return deadLetterQueue == null || b == null ? -1 : b.depth(deadLetterQueue);
    }

    /** The name of the queue the consumers' dead letters land in, or null when none is configured. */
    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    /** The address a client reads the dead letters' queue at (with its subscriptions), or null when none. */
    public String deadLetterQueueAddress() {
        return queues.stream().filter(q -> q.name().equals(deadLetterQueue)).findFirst()
                .map(ArtemisSubscriptions::consumerAddress).orElse(null);
    }

    /** How full a queue is against its quota (what ./cdc infra and ./cdc dlq list --broker report), or null. */
    public dev.cdc.broker.QueueUsage usage(String queueName) {
        EmbeddedBroker b = broker;
        return b == null ? null : b.usage(queueName);
    }

    /** Messages in any queue (the dead-message queue cdc.dead too), or -1 while the broker is stopped. */
    public long depth(String queueName) {
        EmbeddedBroker b = broker;
        return b == null ? -1 : b.depth(queueName);
    }

    /**
     * Stops the embedded broker as an outage would (clients see their connections close); {@link #startBroker()}
     * brings it back on the same port and journal.
     */
    public void stopBroker() throws Exception {
        EmbeddedBroker b = broker;
        broker = null;
        b.close();
    }

    /** Starts the broker again on the same address and data directory; its queues and messages come back. */
    public void startBroker() throws Exception {
        EmbeddedBroker b = EmbeddedBroker.start(config.get(BrokerSettings.HOST), config.get(BrokerSettings.PORT),
                dir.resolve("broker"), (long) config.get(InfraSettings.BROKER_GLOBAL_MAX_MB) << 20);
        for (QueueSpec q : queues) {
            b.provision(q); // address settings (quota, DLQ) are not journaled
        }
        broker = b;
    }

    /**
     * Starts one more consumer JVM with the run's arguments plus {@code settings} (e.g. its own checkpoint
     * directory), its stderr appended to {@code log} and its progress lines to {@code log} with {@code .progress}
     * added. The caller stops it.
     */
    public Process startExtraConsumer(java.util.Map<String, String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(consumerBuilder.command());
        int at = command.indexOf("--config");
        List<String> extra = new ArrayList<>();
        settings.forEach((k, v) -> extra.addAll(List.of("--set", k + "=" + v)));
        command.addAll(at < 0 ? command.size() : at, extra);
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".progress").toFile()));
        b.environment().putAll(consumerBuilder.environment());
        return b.start();
    }

    /** The consumer's checkpoint directory (Spark's query checkpoint, Flink's checkpoints and savepoints). */
    public Path checkpointDir() {
        return architecture.checkpointDir(dir);
    }

    /** The run's configuration (free ports and all). */
    public Configuration config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Events the consumer JVMs of this run reported, the current one's last report included: more than were
     * published means redeliveries (after a kill, a restart from an older checkpoint).
     */
    public long consumedTotal() {
        ConsumerProgress p = progress.get();
        return consumedBefore.get() + (p == null ? 0 : p.events());
    }

    /** The consumer's last progress report. */
    public ConsumerProgress progress() {
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

    /** What the consumer writes to. */
    public Target target() {
        return target;
    }

    /** The target as the kind a caller about one target needs (an outage of PostgreSQL, the API's faults). */
    public <T extends Target> T target(Class<T> kind) {
        if (!kind.isInstance(target)) {
            throw new IllegalStateException("a " + architecture.label() + " run writes to " + target.describe()
                    + ", not to a " + kind.getSimpleName());
        }
        return kind.cast(target);
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
                    ConsumerProgress.parse(line).ifPresent(p -> {
                        record(p.latency().histogram() == null ? "" : p.latency().histogram());
                        progress.set(p);
                    });
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
        if (brokerMetrics != null) {
            brokerMetrics.close();
        }
        try {
            if (consumer.isAlive()) {
                stopConsumer();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            try {
                target.close();
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        }
    }
}
