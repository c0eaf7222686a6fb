package dev.cdc.cli;

import dev.cdc.common.metrics.PrometheusText;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.e2e.pipeline.TruthVerdict;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.infra.InfraSettings;
import dev.cdc.infra.InfraState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the main job end to end and checks the result against the source truth.",
            "Starts the embedded broker and the target (PostgreSQL for spark, the REST API for flink), the"
                + " generator (5,000 events/min by default) and the consumer, with live progress; then drains the queue,"
                + " prints a summary and checks the target against the source truth. Exit 0 only when everything"
                + " matches. Data under data/demo (removed first)."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Parameters(index = "0", paramLabel = "ARCH", description = "spark (Spark into the PostgreSQL ODS) or flink (Flink into the REST API)")
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

    @Option(names = "--cluster", description = {"runs the job on a local multi-process cluster: for spark a standalone",
        "Master and two Workers from Spark's jars, the job jar submitted with spark-submit; for flink a session cluster",
        "(a JobManager, two TaskManagers) from Flink's jars, the job jar submitted with flink run; stopped at the end"})
    boolean cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConsumerProcess arch = ConsumerProcess.parse(architecture);
        GeneratorConfig generator = GeneratorConfig.builder().seed(seed).rate(Rate.parse(rate)).duration(duration)
                .scenarios(Scenario.parseList(scenarios)).clock(GeneratorConfig.ClockMode.WALL).build();
        Path home = ConfigOption.home();
        Configuration c = config.load();
        Path dataDir = InfraSettings.dataDir(c, home);
        if (InfraState.read(dataDir).map(InfraState::alive).orElse(false)) {
            err.println("cdc demo: ./cdc infra is running and holds the ports; stop it first (./cdc stop)");
            return 1;
        }
        Path demo = dataDir.resolve("demo");
        long started = System.nanoTime();
        out.println("demo: starting the embedded broker, the target and the consumer of " + arch.title()
                + (cluster ? " on a local cluster" : "") + " (data in " + demo + ")");
        out.flush();
        PipelineRun run;
        try {
            run = PipelineRun.start(arch, c, home, demo, config.file,
                    cluster ? dev.cdc.e2e.pipeline.ConsumerOptions.NONE.onCluster() : dev.cdc.e2e.pipeline.ConsumerOptions.NONE);
        } catch (ConsumerProcess.NotBuilt e) {
            err.println("cdc demo: " + e.getMessage());
            return Cdc.NOT_BUILT;
        } catch (IllegalStateException | IllegalArgumentException | java.io.IOException e) {
            err.println("cdc demo: " + e.getMessage());
            return 1;
        }
        try (run) {
            if (run.cluster() != null) {
                out.println("demo: " + run.cluster().describe());
            }
            out.println("demo: " + arch.label() + " consumer running (web UI " + (run.cluster() != null
                    ? run.cluster().webUi() : arch.uiUrl(c)) + ", log " + run.log() + "), writing to "
                    + run.target().describe());
            out.println("demo: Prometheus metrics: the consumer's "
                    + (run.progress() == null || run.progress().metrics() == null ? "(none)" : run.progress().metrics())
                    + ", the broker's " + (run.brokerMetricsUrl() == null ? "(none)" : run.brokerMetricsUrl())
                    + (run.target() instanceof dev.cdc.e2e.pipeline.ApiTarget api ? ", the REST API's " + api.url()
                    + "/metrics" : ""));
            out.printf(Locale.ROOT, "demo: generating %s for %s%s into %s%n", generator.rate(), duration,
                    scenarios.isBlank() ? "" : " with scenarios " + scenarios, run.queue().name());
            out.flush();
            AtomicLong published = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread generating = run.publish(generator, demo.resolve("truth"), published, failure);
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                if (generating.isAlive()) {
                    generating.join(2_000);
                } else {
                    run.pause(2_000);
                }
                long lag = run.lag();
                out.println(line(started, published.get(), run.progress(), lag, run.deadLetterTopicDepth()));
                out.flush();
                if (!run.consumerAlive()) {
                    err.println("cdc demo: the " + arch.label() + " consumer stopped unexpectedly (exit " + run.consumerExitCode()
                            + "); see " + run.log());
                    return 1;
                }
                if (!generating.isAlive() && drainDeadline == Long.MAX_VALUE) {
                    if (failure.get() != null) {
                        err.println("cdc demo: the generator failed: " + failure.get().getMessage());
                        return 1;
                    }
                    out.println("demo: generator finished; draining the queue");
                    drainDeadline = System.nanoTime() + drainTimeout.toNanos();
                }
                if (!generating.isAlive() && lag == 0) {
                    break;
                }
                if (System.nanoTime() > drainDeadline) {
                    err.println("cdc demo: the queue still holds " + lag + " messages after " + drainTimeout);
                    return 1;
                }
            }
            boolean metricsAgree = checkMetrics(out, run);
            run.stopConsumer();
            return summarise(out, run, demo, started) == 0 && metricsAgree ? 0 : 1;
        }
    }

    /** What the consumer reported, the latencies, and the truth check of its target; exit 0 only on a match. */
    private static int summarise(PrintWriter out, PipelineRun run, Path demo, long started) throws Exception {
        SourceTruth truth = SourceTruth.read(demo.resolve("truth"));
        ConsumerProgress last = run.progress();
        Histogram latency = run.latencies();
        TruthVerdict verdict = run.target().verify(run, truth, 0, 0);
        long messages = truth.manifest().path("producer").path("messages_sent").asLong();
        out.println();
        out.printf(Locale.ROOT, "demo: %,d messages published in %.0f s; %s%n", messages,
                (System.nanoTime() - started) / 1e9, last == null ? "the consumer reported nothing" : last.summary());
        out.printf(Locale.ROOT, "demo: %,d dead letters (%d expected)%n", verdict.deadLetters(), verdict.expectedDeadLetters());
        if (latency.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "demo: latency of the changes (after the snapshot) from source commit to %s:"
                            + " p50 %,d ms, p99 %,d ms, max %,d ms (%,d changes)%n", run.architecture().appliedAt(),
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(),
                    latency.getTotalCount());
        }
        if (last != null && last.latency().late() > 0) {
            out.printf(Locale.ROOT, "demo: %,d late changes (re-sent, or older than what their row held) are left out of"
                    + " the latency: they took effect before, or never%n", last.latency().late());
        }
        out.println("demo: truth check of " + run.target().describe() + " against " + demo.resolve("truth")
                + " (./cdc verify --truth for the ODS):");
        out.print(verdict.details());
        out.println(verdict.passed() ? "demo: PASSED" : "demo: FAILED (" + verdict.failure() + ")");
        out.flush();
        return verdict.passed() ? 0 : 1;
    }

    /**
     * Scrapes the consumer's metrics endpoint once the queue is drained and checks that it is Prometheus' format and
     * counts what the progress line counts; false when they disagree. A consumer without an endpoint (its port was
     * taken) is said, not failed.
     */
    private static boolean checkMetrics(PrintWriter out, PipelineRun run) throws Exception {
        ConsumerProgress p = run.progress();
        if (p == null || p.metrics() == null) {
            out.println("demo: the consumer serves no metrics (see its log)");
            return true;
        }
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(p.metrics()))
                        .timeout(java.time.Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        PrometheusText scraped = PrometheusText.parse(r.body());
        ConsumerProgress now = run.progress(); // the queue is drained: the counts no longer move
        double events = scraped.value("cdc_consumer_events_total", java.util.Map.of("engine", now.engine())).orElse(-1.0);
        boolean agree = r.statusCode() == 200 && events == now.events();
        // the break-downs add up to the totals: by error type to the dead letters, by table or endpoint to the writes
        double byType = scraped.sum("cdc_consumer_dead_letters_by_type_total");
        double byTarget = scraped.sum("cdc_consumer_written_to_total");
        boolean addUp = byType == now.deadLetters() && byTarget == now.written();
        out.printf(Locale.ROOT, "demo: metrics %s: %d samples; cdc_consumer_events_total %,.0f, %s; by error type %,.0f"
                        + " dead letters, by target %,.0f written, %s%n", p.metrics(), scraped.samples().size(), events,
                agree ? "as the progress line counts" : "but the progress line counts " + now.events(), byType, byTarget,
                addUp ? "as in all" : String.format(Locale.ROOT, "but in all %,d and %,d", now.deadLetters(), now.written()));
        agree &= addUp;
        if (now.source() != null) {
            out.printf(Locale.ROOT, "demo: by its last report the consumer had received %,d messages (%,d redelivered) and"
                    + " acknowledged %,d%n",
                    now.source().received(), now.source().redelivered(), now.source().acknowledged());
        }
        if (run.brokerMetricsUrl() != null) {
            PrometheusText broker = PrometheusText.parse(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(run.brokerMetricsUrl())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            java.util.Map<String, String> queue = java.util.Map.of("queue", run.queue().name());
            double waiting = broker.value("cdc_broker_queue_messages", queue).orElse(-1.0);
            String database = broker.value("cdc_postgres_up", java.util.Map.of()).isEmpty() ? ""
                    : String.format(Locale.ROOT, "; PostgreSQL %s, %,.1f MB, %,.0f commits",
                    broker.value("cdc_postgres_up", java.util.Map.of()).orElse(0.0) == 1 ? "up" : "down",
                    broker.value("cdc_postgres_database_bytes", java.util.Map.of()).orElse(Double.NaN) / (1 << 20),
                    broker.value("cdc_postgres_commits_total", java.util.Map.of()).orElse(Double.NaN));
            out.printf(Locale.ROOT, "demo: metrics %s: generator %,.0f published; %s %,.0f enqueued, %,.0f acknowledged,"
                            + " %,.0f waiting%s%n", run.brokerMetricsUrl(), broker.sum("cdc_generator_published_events_total"),
                    run.queue().name(),
                    broker.value("cdc_broker_queue_enqueued_messages_total", queue).orElse(-1.0),
                    broker.value("cdc_broker_queue_acknowledged_messages_total", queue).orElse(-1.0), waiting, database);
            agree &= waiting == 0; // drained, as the demo's own lag says
        }
        return agree;
    }

    private static String line(long started, long published, ConsumerProgress p, long lag, long deadLetterTopic) {
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String consumed = p == null ? "consumer starting" : p.batches() != null ? String.format(Locale.ROOT,
                "consumed %,d | DLQ %,d | batch %,d ms (apply %,d, recompute %,d, driver %,d) in %d tasks on %d executors"
                        + " | latency p50 %s p99 %s", p.events(), p.deadLetters(), p.batches().lastMillis(),
                p.batches().applyMillis(), p.batches().recomputeMillis(), p.batches().driverMillis(), p.batches().tasks(),
                p.batches().executors(),
                ms(p.latency().p50()), ms(p.latency().p99()))
                : String.format(Locale.ROOT, "delivered %,d changes, %,d enriched, %,d alerts | DLQ %,d | retries %,d"
                        + " | latency p50 %s p99 %s", p.events(), p.deliveries().enrichedOrders(), p.deliveries().alerts(),
                p.deadLetters(), p.retries(), ms(p.latency().p50()), ms(p.latency().p99()));
        return String.format(Locale.ROOT, "demo %3d s: published %,d | lag %,d | %s | on DLQ topics %,d", seconds,
                published, lag, consumed, deadLetterTopic);
    }

    private static String ms(long v) {
        return ConsumerProgress.ms(v);
    }
}
