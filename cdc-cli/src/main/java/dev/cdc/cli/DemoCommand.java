package dev.cdc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.config.Setting;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.infra.InfraSettings;
import dev.cdc.infra.InfraState;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.VerificationReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the main job: embedded broker and PostgreSQL, the generator (5,000 events/min by default)",
            "and the consumer, with live progress; then drains the queue, prints a summary and checks the ODS",
            "against the source truth. Exit 0 only when everything matches. Data under data/demo (removed first)."})
final class DemoCommand implements Callable<Integer> {

    /** Read here only to print the address; cdc-spark declares it (its class path is not this one). */
    private static final Setting<Integer> SPARK_UI_PORT = Setting.integer("spark.ui-port", 4040, 1, 65535, "Spark UI port");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Parameters(index = "0", paramLabel = "ARCH", description = "spark (flink: not built yet)")
    String architecture;

    @Option(names = "--rate", paramLabel = "RATE", defaultValue = "${EVENTS_PER_MINUTE:-5000/min}",
            description = "events per minute or second, e.g. 5000/min, 200/s (default: ${DEFAULT-VALUE})")
    String rate;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1m",
            description = "how long the generator runs (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--scenario", paramLabel = "NAME[,NAME...]", defaultValue = "",
            description = "scenarios to play, as for ./cdc generate (e.g. all, schema, xml, F6)")
    String scenarios;

    @Option(names = "--seed", defaultValue = "42", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--drain-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5m",
            description = "how long to wait for the consumer to empty the queue at the end (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (architecture.equals("flink")) {
            err.println("cdc demo flink: not built yet: Architecture B (issue 8)");
            return Cdc.NOT_BUILT;
        }
        if (!architecture.equals("spark")) {
            throw new IllegalArgumentException("ARCH must be spark or flink, was " + architecture);
        }
        GeneratorConfig generator;
        try {
            generator = GeneratorConfig.builder().seed(seed).rate(Rate.parse(rate)).duration(duration)
                    .scenarios(Scenario.parseList(scenarios)).clock(GeneratorConfig.ClockMode.WALL).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path home = ConfigOption.home();
        Configuration c = config.load();
        List<QueueSpec> queues = BrokerSettings.queues(c);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("configuration has no queues: the consumer needs one (see queues in configs/cdc.yaml)");
        }
        // the queue that attracts the change topics, and the one that keeps dead letters (if any)
        QueueSpec queue = queues.stream().filter(q -> q.subscriptions().stream()
                        .anyMatch(t -> t.matches("cdc/oracle/SALES/ORDERS/insert"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no configured queue subscribes to the change topics"
                        + " (cdc/oracle/SALES/...); see queues in configs/cdc.yaml"));
        String deadLetterQueue = queues.stream().filter(q -> q.subscriptions().stream()
                .anyMatch(t -> t.matches("cdc/dlq/SALES/ORDERS"))).map(QueueSpec::name).findFirst().orElse(null);
        Path dataDir = InfraSettings.dataDir(c, home);
        if (InfraState.read(dataDir).map(InfraState::alive).orElse(false)) {
            err.println("cdc demo: ./cdc infra is running and holds the ports; stop it first (./cdc stop)");
            return 1;
        }
        Path demo = dataDir.resolve("demo");
        deleteTree(demo);
        Files.createDirectories(demo);

        long started = System.nanoTime();
        out.println("demo: starting the embedded broker and PostgreSQL (data in " + demo + ")");
        out.flush();
        try (EmbeddedBroker broker = EmbeddedBroker.start(c.get(BrokerSettings.HOST), c.get(BrokerSettings.PORT),
                demo.resolve("broker"), (long) c.get(InfraSettings.BROKER_GLOBAL_MAX_MB) << 20);
             EmbeddedPostgres postgres = EmbeddedPostgres.start(c.get(PostgresSettings.HOST), c.get(PostgresSettings.PORT),
                     demo.resolve("postgres"), dataDir.resolve("postgres-work"))) {
            for (QueueSpec q : queues) {
                broker.provision(q);
            }
            postgres.ensureDatabase(c.get(PostgresSettings.DB), c.get(PostgresSettings.USER), c.get(PostgresSettings.PASSWORD));
            List<String> sparkArgs = new ArrayList<>(List.of("--progress", "json", "--progress-interval", "1s",
                    "--set", "spark.queue=" + ArtemisSubscriptions.consumerAddress(queue),
                    "--set", "spark.checkpoint-dir=" + demo.resolve("checkpoint")));
            if (config.file != null) {
                sparkArgs.addAll(List.of("--config", config.file.toString()));
            }
            Process spark;
            try {
                spark = SparkProcess.builder(home, sparkArgs).redirectError(demo.resolve("spark.log").toFile()).start();
            } catch (SparkProcess.NotBuilt e) {
                err.println("cdc demo: " + e.getMessage());
                return Cdc.NOT_BUILT;
            }
            AtomicReference<JsonNode> progress = new AtomicReference<>();
            Thread reader = readProgress(spark, progress);
            out.println("demo: Spark consumer started (Spark UI http://127.0.0.1:" + c.get(SPARK_UI_PORT)
                    + ", log " + demo.resolve("spark.log") + ")");
            // latency is the pipeline's, not Spark's start-up: the source starts once the consumer runs
            long ready = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (progress.get() == null && spark.isAlive() && System.nanoTime() < ready) {
                spark.waitFor(500, TimeUnit.MILLISECONDS);
            }
            if (progress.get() == null) {
                err.println("cdc demo: the Spark consumer did not start; see " + demo.resolve("spark.log"));
                spark.destroy();
                return 1;
            }
            out.printf(Locale.ROOT, "demo: generating %s for %s%s into %s%n", generator.rate(), duration,
                    scenarios.isBlank() ? "" : " with scenarios " + scenarios, queue.name());
            out.flush();

            AtomicLong published = new AtomicLong();
            AtomicReference<Exception> generatorFailure = new AtomicReference<>();
            Thread generating = new Thread(() -> {
                try (AmqpMessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(c))) {
                    GeneratorRun.run(generator, new BrokerSink(bus), demo.resolve("truth"),
                            (sent, bytes, elapsed) -> published.set(sent), () -> !spark.isAlive());
                } catch (Exception e) {
                    generatorFailure.set(e);
                }
            }, "demo-generator");
            generating.start();
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                if (generating.isAlive()) {
                    generating.join(2_000);
                } else {
                    spark.waitFor(2, TimeUnit.SECONDS); // paces the loop; returns early only if the consumer dies
                }
                boolean generated = !generating.isAlive();
                long lag = broker.depth(queue.name());
                out.println(line(started, published.get(), progress.get(), lag, deadLetterQueue == null ? -1 : broker.depth(deadLetterQueue)));
                out.flush();
                if (!spark.isAlive()) {
                    err.println("cdc demo: the Spark consumer stopped unexpectedly (exit " + spark.exitValue() + "); see "
                            + demo.resolve("spark.log"));
                    return 1;
                }
                if (generated && drainDeadline == Long.MAX_VALUE) {
                    if (generatorFailure.get() != null) {
                        err.println("cdc demo: the generator failed: " + generatorFailure.get().getMessage());
                        spark.destroy();
                        return 1;
                    }
                    out.println("demo: generator finished; draining the queue");
                    drainDeadline = System.nanoTime() + drainTimeout.toNanos();
                }
                if (generated && lag == 0) {
                    break;
                }
                if (System.nanoTime() > drainDeadline) {
                    err.println("cdc demo: the queue still holds " + lag + " messages after " + drainTimeout);
                    spark.destroy();
                    return 1;
                }
            }
            spark.destroy(); // SIGTERM: the consumer stops between batches
            if (!spark.waitFor(60, TimeUnit.SECONDS)) {
                spark.destroyForcibly();
            }
            reader.join(5_000);
            return summarise(out, err, c, postgres, demo, progress.get(), started);
        }
    }

    private int summarise(PrintWriter out, PrintWriter err, Configuration c, EmbeddedPostgres postgres, Path demo,
                          JsonNode last, long started) throws Exception {
        SourceTruth truth = SourceTruth.read(demo.resolve("truth"));
        try (OdsDatabase ods = OdsDatabase.connect(postgres.jdbcUrl(c.get(PostgresSettings.DB)), c.get(PostgresSettings.USER),
                c.get(PostgresSettings.PASSWORD), 1)) {
            long deadLetters;
            try (Connection conn = ods.dataSource().getConnection();
                 ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM cdc_dlq")) {
                rs.next();
                deadLetters = rs.getLong(1);
                conn.commit();
            }
            long messages = truth.manifest().path("producer").path("messages_sent").asLong();
            double seconds = (System.nanoTime() - started) / 1e9;
            out.println();
            out.printf(Locale.ROOT, "demo: %,d messages published, %,d consumed, %,d dead letters (%d expected), in %.0f s%n",
                    messages, last == null ? 0 : last.path("events").asLong(), deadLetters, truth.deadLetters().size(), seconds);
            if (last != null) {
                out.printf(Locale.ROOT, "demo: latency of the changes (after the snapshot) from source commit to ODS commit: p50 %s, p99 %s, max %s%n",
                        ms(last.path("total_p50_ms").asLong()), ms(last.path("total_p99_ms").asLong()),
                        ms(last.path("total_max_ms").asLong()));
            }
            out.println("demo: truth check (./cdc verify --truth " + demo.resolve("truth") + "):");
            VerificationReport report = new OdsVerifier(ods.dataSource(), OdsSettings.tableMapping(c)).verify(truth);
            report.render(out);
            boolean ok = report.matches() && deadLetters == truth.deadLetters().size();
            out.println(ok ? "demo: PASSED" : "demo: FAILED");
            out.flush();
            return ok ? 0 : 1;
        }
    }

    private static String line(long started, long published, JsonNode p, long lag, long deadLetterTopic) {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String consumed = p == null ? "consumer starting" : String.format(Locale.ROOT,
                "consumed %,d | DLQ %,d | batch %,d ms | latency p50 %s p99 %s",
                p.path("events").asLong(), p.path("dead_letters").asLong(), p.path("batch_ms").asLong(),
                ms(p.path("p50_ms").asLong()), ms(p.path("p99_ms").asLong()));
        return String.format(Locale.ROOT, "demo %3d s: published %,d | lag %,d | %s | on DLQ topics %,d", seconds,
                published, lag, consumed, deadLetterTopic);
    }

    private static String ms(long v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%,d ms", v);
    }

    private static Thread readProgress(Process spark, AtomicReference<JsonNode> progress) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(spark.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("PROGRESS ")) {
                        progress.set(DebeziumJsonCodec.mapper().readTree(line.substring("PROGRESS ".length())));
                    }
                }
            } catch (IOException e) {
                return; // the child ended; its exit code tells the rest
            }
        }, "demo-spark-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
