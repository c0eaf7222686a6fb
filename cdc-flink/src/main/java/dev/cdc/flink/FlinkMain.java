package dev.cdc.flink;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.metrics.ConsumerMetrics;
import dev.cdc.common.metrics.MetricsServer;
import dev.cdc.common.config.Setting;
import dev.cdc.flink.job.FlinkEnvironment;
import dev.cdc.flink.job.FlinkPipeline;
import dev.cdc.flink.job.FlinkSettings;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.flink.sink.ClusterDelivery;
import dev.cdc.flink.sink.DeliveryProgress;
import dev.cdc.flink.sink.DeliveryTotals;
import dev.cdc.flink.source.reader.ReaderProgress;
import java.io.IOException;
import dev.cdc.flink.sink.RestSinkSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cdc flink}: Architecture B alone against the configured broker and REST API, until Ctrl-C or SIGTERM
 * (which stops the job with a savepoint: the next start resumes from it). Its own JVM and class path, so Flink
 * never shares one with Spark. Under {@code flink run} the same main submits the job to that cluster, prints its
 * progress from the job's metrics, and stops it with a savepoint the same way.
 */
@Command(name = "flink", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the Flink job (Architecture B) against the configured endpoints until Ctrl-C.")
public final class FlinkMain implements Callable<Integer> {


    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: configs/cdc.yaml)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one setting, e.g. --set flink.parallelism=4")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--progress", paramLabel = "human|json", defaultValue = "human",
            description = "progress lines for people (stderr) or for a program (stdout, one JSON object a line)")
    String progressMode;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "how often progress is printed (default: ${DEFAULT-VALUE})")
    String progressInterval;

    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new FlinkMain());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) { // ConfigException included: one line naming the key
                cmd.getErr().println("cdc flink: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cli.execute(args);
        if (!SHUTTING_DOWN.get()) { // exiting from within the shutdown sequence would block forever
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("human", "json").contains(progressMode)) {
            throw new IllegalArgumentException("--progress must be human or json, was " + progressMode);
        }
        Duration interval = Setting.parseDuration(progressInterval);
        Path home = Path.of(System.getProperty("cdc.home", "."));
        Path file = config != null ? config : home.resolve("configs/cdc.yaml");
        Configuration c = Configuration.load(file, System.getenv()).with(overrides);
        Path checkpoints = home.resolve(c.get(FlinkSettings.CHECKPOINT_DIR));
        PrintStream out = System.out;
        PrintStream err = System.err;
        FlinkPipeline.validate(c);
        boolean local = FlinkEnvironment.isLocal(); // else under flink run: the job runs on that cluster
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: let the loop below stop the job with a savepoint, then let the JVM go
        Thread hook = new Thread(() -> {
            SHUTTING_DOWN.set(true);
            stopped.countDown();
            try {
                closed.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "flink-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MetricsServer server = startMetrics(c, err); FlinkPipeline pipeline = FlinkPipeline.start(c, home)) {
            metricsUrl = server == null ? null : server.url();
            String ui = local ? (c.get(FlinkSettings.UI) ? FlinkEnvironment.uiUrl(c) : null) : FlinkEnvironment.clusterRestUrl();
            // locally the sink writers count in this JVM; on a cluster in the TaskManagers, read through their metrics
            ClusterDelivery cluster = local ? null : new ClusterDelivery(ui, pipeline.job().getJobID().toHexString());
            err.println("cdc flink: job " + pipeline.job().getJobID() + " consuming " + c.get(FlinkSettings.QUEUE)
                    + " into " + c.get(RestSinkSettings.URL) + (local ? "" : " on the cluster")
                    + (ui != null ? "; Flink web UI " + ui : "")
                    + "; checkpoints in " + checkpoints + "; Ctrl-C to stop");
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!pipeline.alive()) {
                    err.println("cdc flink: the job ended: " + pipeline.status());
                    return 1;
                }
                print(out, err, cluster);
            }
            return 0;
        } finally {
            if (local) { // on a cluster the job's metrics end with it
                print(out, err, null);
            }
            closed.countDown();
        }
    }

    private DeliveryTotals previous = DeliveryTotals.NONE;
    private final ConsumerMetrics metrics = new ConsumerMetrics("flink");
    private volatile String metricsUrl;

    /**
     * The metrics endpoint, served by this process (the job's client on a cluster: it reads the job's counts there);
     * a taken port leaves the job running without it (said once, on stderr).
     */
    private MetricsServer startMetrics(Configuration c, PrintStream err) {
        return MetricsServer.startOrSay("cdc flink", c.get(FlinkSettings.METRICS_HOST), c.get(FlinkSettings.METRICS_PORT),
                metrics::scrape, FlinkSettings.METRICS_PORT.key(), err);
    }

    private void print(PrintStream out, PrintStream err, ClusterDelivery cluster) {
        DeliveryTotals now;
        try {
            now = cluster == null ? DeliveryProgress.jvm().totals() : cluster.read();
        } catch (IOException e) {
            err.println("cdc flink: no progress from the cluster this time: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // the readers' counts are this JVM's in the local mini-cluster; on a cluster, read from their metrics
        ConsumerProgress p = now.progressSince(previous)
                .withSource(cluster == null ? ReaderProgress.jvm().snapshot() : cluster.source()).withMetrics(metricsUrl);
        metrics.update(p);
        if (progressMode.equals("json")) {
            out.println(p.line());
            out.flush();
        } else if (now.requests() != previous.requests()) { // people get a line when something happened
            err.println(p.summary());
        }
        previous = now;
    }
}
