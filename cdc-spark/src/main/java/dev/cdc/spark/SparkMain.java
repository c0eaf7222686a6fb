package dev.cdc.spark;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.metrics.ConsumerMetrics;
import dev.cdc.common.metrics.MetricsServer;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.spark.job.BatchProgress;
import dev.cdc.spark.source.SourceCounts;
import dev.cdc.spark.job.CheckpointLock;
import dev.cdc.spark.job.SparkPipeline;
import dev.cdc.spark.job.SparkSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.github.resilience4j.core.IntervalFunction;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.BoxedUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cdc spark}: Architecture A alone against the configured broker and PostgreSQL, until Ctrl-C or SIGTERM
 * (which stops the query between batches: nothing half-applied, the unacknowledged messages stay in the queue).
 * Its own JVM and class path, so Spark never shares one with Flink.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the Spark consumer (Architecture A) against the configured endpoints until Ctrl-C.")
public final class SparkMain implements Callable<Integer> {


    /** Pauses before starting or restarting: 1 s, doubling up to a minute. */
    private static final IntervalFunction RESTART_BACKOFF = IntervalFunction.ofExponentialBackoff(1_000, 2.0, 60_000);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: configs/cdc.yaml)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one setting, e.g. --set spark.master=local[4]")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--progress", paramLabel = "human|json", defaultValue = "human",
            description = "progress lines for people (stderr) or for a program (stdout, one JSON object a line)")
    String progressMode;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "how often progress is printed (default: ${DEFAULT-VALUE})")
    String progressInterval;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException // ConfigException included: one line naming the key
                    || ex instanceof CheckpointLock.InUseException) {
                cmd.getErr().println("cdc spark: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cli.execute(args);
        if (!SHUTTING_DOWN.get()) { // exiting from within the shutdown sequence would block forever
            System.exit(code);
        }
    }

    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        if (!List.of("human", "json").contains(progressMode)) {
            throw new IllegalArgumentException("--progress must be human or json, was " + progressMode);
        }
        Duration interval = dev.cdc.common.config.Setting.parseDuration(progressInterval);
        Path home = Path.of(System.getProperty("cdc.home", "."));
        Path file = config != null ? config : home.resolve("configs/cdc.yaml");
        Configuration c = Configuration.load(file, System.getenv()).with(overrides);
        SparkPipeline.validate(c);
        PrintStream err = System.err;
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: the loop below stops the query between batches and closes everything. Spark stops its
        // executor (default priority) and context from its own shutdown hooks, and a batch still running then dies
        // on them with long stack traces; Spark runs its hooks highest priority first, so this one goes before both.
        ShutdownHookManager.addShutdownHook(ShutdownHookManager.DEFAULT_SHUTDOWN_PRIORITY() + 10, () -> {
            SHUTTING_DOWN.set(true);
            stopped.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return BoxedUnit.UNIT;
        });
        SparkPipeline pipeline = null;
        try (MetricsServer server = startMetrics(c, err)) {
            metricsUrl = server == null ? null : server.url();
            pipeline = startWhenReachable(c, home, stopped, err);
            if (pipeline == null) {
                err.println("cdc spark: stopped before it could start");
                return 0;
            }
            String ui = pipeline.uiUrl();
            err.println("cdc spark: consuming " + c.get(dev.cdc.spark.job.SparkSettings.QUEUE) + " into the ODS"
                    + (ui == null ? "" : "; Spark UI " + ui) + "; Ctrl-C to stop");
            run(pipeline, interval, stopped, err);
            BatchProgress.Snapshot last = pipeline.progress().snapshot();
            report(last);
            err.println("cdc spark: stopped; " + last.line().substring("spark: ".length()));
            return 0;
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
            closed.countDown();
        }
    }

    /**
     * Prints progress until stopped. A query that fails (the database or broker away longer than a batch waits, or
     * anything else) is started again from its checkpoint with growing pauses, as Flink's restart strategy does:
     * what its last batch held was never acknowledged, so the broker delivers it again.
     */
    private void run(SparkPipeline pipeline, Duration interval, CountDownLatch stopped, PrintStream err)
            throws Exception {
        long printedBatches = -1;
        int restarts = 0;
        long batchesAtRestart = -1;
        while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
            BatchProgress.Snapshot s = pipeline.progress().snapshot();
            if (!pipeline.query().isActive()) {
                Duration pause = Duration.ofMillis(RESTART_BACKOFF.apply(++restarts));
                err.println("cdc spark: the query stopped (" + oneLine(pipeline.query().exception().isDefined()
                        ? pipeline.query().exception().get().cause() : null) + "); nothing it held was acknowledged;"
                        + " restarting from the checkpoint in " + pause.toSeconds() + " s");
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                pipeline.restartQuery();
                batchesAtRestart = s.batches();
                continue;
            }
            if (restarts > 0 && s.batches() > batchesAtRestart) {
                err.println("cdc spark: running again after " + restarts + " restart" + (restarts == 1 ? "" : "s"));
                restarts = 0;
            }
            report(s);
            if (!progressMode.equals("json") && s.batches() != printedBatches) { // people get a line when something happened
                err.println(s.line());
                printedBatches = s.batches();
            }
        }
    }

    /** Starts the pipeline, waiting out a database or broker that is not there yet; null if stopped meanwhile. */
    private static SparkPipeline startWhenReachable(Configuration c, Path home, CountDownLatch stopped, PrintStream err)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return SparkPipeline.start(c, home);
            } catch (IllegalArgumentException | CheckpointLock.InUseException e) {
                throw e; // configuration, or another consumer on the checkpoint: trying again changes nothing
            } catch (Exception e) {
                Duration pause = Duration.ofMillis(RESTART_BACKOFF.apply(attempt));
                err.println("cdc spark: could not start (" + oneLine(e) + "); trying again in " + pause.toSeconds() + " s");
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
            }
        }
    }

    private final ConsumerMetrics metrics = new ConsumerMetrics("spark");
    private volatile String metricsUrl;

    /** The metrics endpoint; a taken port leaves the consumer running without it (said once, on stderr). */
    private MetricsServer startMetrics(Configuration c, PrintStream err) {
        return MetricsServer.startOrSay("cdc spark", c.get(SparkSettings.METRICS_HOST), c.get(SparkSettings.METRICS_PORT),
                metrics::scrape, SparkSettings.METRICS_PORT.key(), err);
    }

    /** Every snapshot feeds the metrics (its interval's latencies are in it once); json mode also prints it. */
    private void report(BatchProgress.Snapshot s) {
        ConsumerProgress p = s.progress().withSource(SourceCounts.jvm().snapshot()).withMetrics(metricsUrl);
        metrics.update(p);
        if (progressMode.equals("json")) {
            System.out.println(p.line());
            System.out.flush();
        }
    }

    /** The first line of the innermost message, for a one-line report. */
    static String oneLine(Throwable e) {
        if (e == null) {
            return "no reason given";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
