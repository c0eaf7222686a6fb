package dev.cdc.spark;

import dev.cdc.common.config.Configuration;
import dev.cdc.spark.job.BatchProgress;
import dev.cdc.spark.job.SparkPipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

    /** Prefix of the machine-readable progress lines ({@code --progress json}), read by {@code ./cdc demo spark}. */
    public static final String PROGRESS_PREFIX = "PROGRESS ";

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
            if (ex instanceof IllegalArgumentException) { // ConfigException included: one line naming the key
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

    private static final java.util.concurrent.atomic.AtomicBoolean SHUTTING_DOWN = new java.util.concurrent.atomic.AtomicBoolean();

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
        PrintStream out = System.out;
        PrintStream err = System.err;
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: let the loop below stop the query and close everything, then let the JVM go
        Thread hook = new Thread(() -> {
            SHUTTING_DOWN.set(true);
            stopped.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spark-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (SparkPipeline pipeline = SparkPipeline.start(c, home)) {
            String ui = pipeline.uiUrl();
            err.println("cdc spark: consuming " + c.get(dev.cdc.spark.job.SparkSettings.QUEUE) + " into the ODS"
                    + (ui == null ? "" : "; Spark UI " + ui) + "; Ctrl-C to stop");
            long printedBatches = -1;
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS) && pipeline.query().isActive()) {
                BatchProgress.Snapshot s = pipeline.progress().snapshot();
                if (progressMode.equals("json")) {
                    out.println(PROGRESS_PREFIX + s.json());
                    out.flush();
                } else if (s.batches() != printedBatches) { // people get a line when something happened
                    err.println(s.line());
                    printedBatches = s.batches();
                }
            }
            if (pipeline.query().exception().isDefined() && stopped.getCount() > 0) {
                err.println("cdc spark: the query failed: " + pipeline.query().exception().get().getMessage());
                return 1;
            }
            BatchProgress.Snapshot last = pipeline.progress().snapshot();
            if (progressMode.equals("json")) {
                out.println(PROGRESS_PREFIX + last.json());
                out.flush();
            }
            err.println("cdc spark: stopped; " + last.line().substring("spark: ".length()));
            return 0;
        } finally {
            closed.countDown();
        }
    }
}
