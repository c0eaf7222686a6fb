package dev.cdc.e2e.pipeline;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.e2e.cluster.FlinkSessionCluster;
import dev.cdc.e2e.cluster.LocalCluster;
import dev.cdc.e2e.cluster.SparkStandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two architectures' consumers, which run in their own JVMs with their own module's class path: Spark and Flink
 * never share a class path, nor with this command line. This builds the command that starts one, and holds the
 * facts about it the runs need (its settings' names, where a change counts as applied, DESIGN's latency bar); what
 * it writes to is its {@link Target}.
 */
public enum ConsumerProcess {
    SPARK("cdc-spark", "dev.cdc.spark.SparkMain", "SPARK_JAVA_OPTS", "Architecture A (Spark)", "spark", "checkpoint",
            "ODS commit", 2_000, 4040, 9464),
    FLINK("cdc-flink", "dev.cdc.flink.FlinkMain", "FLINK_JAVA_OPTS", "Architecture B (Flink)", "flink", "checkpoints",
            "accepted by the REST API", 500, 8081, 9465);

    private final String module;
    private final String mainClass;
    private final String javaOptsVariable;
    private final String title;
    private final String settingsPrefix;
    private final String checkpointDirName;
    private final String appliedAt;
    private final long latencyBarMillis;
    private final Setting<Integer> uiPort;
    private final Setting<String> metricsHost;
    private final Setting<Integer> metricsPort;

    ConsumerProcess(String module, String mainClass, String javaOptsVariable, String title, String settingsPrefix,
                    String checkpointDirName, String appliedAt, long latencyBarMillis, int defaultUiPort,
                    int defaultMetricsPort) {
        this.module = module;
        this.mainClass = mainClass;
        this.javaOptsVariable = javaOptsVariable;
        this.title = title;
        this.settingsPrefix = settingsPrefix;
        this.checkpointDirName = checkpointDirName;
        this.appliedAt = appliedAt;
        this.latencyBarMillis = latencyBarMillis;
        // read here only to print the address: cdc-spark and cdc-flink declare it (their class paths are not this one)
        this.uiPort = Setting.integer(settingsPrefix + ".ui-port", defaultUiPort, 1, 65535, "the engine's web UI port");
        this.metricsHost = Setting.string(settingsPrefix + ".metrics-host", "127.0.0.1", "the metrics' address");
        this.metricsPort = Setting.integer(settingsPrefix + ".metrics-port", defaultMetricsPort, 0, 65535,
                "the metrics' port");
    }

    /** Where the consumer serves its Prometheus metrics as configured ({@code spark.metrics-port}, ...). */
    public String metricsUrl(Configuration c) {
        return "http://" + c.get(metricsHost) + ":" + c.get(metricsPort) + "/metrics";
    }

    /** The engine's web UI in its own JVM (Spark's driver UI, the Flink mini-cluster's web UI). */
    public String uiUrl(Configuration c) {
        return "http://127.0.0.1:" + c.get(uiPort);
    }

    /** "Architecture A (Spark)". */
    public String title() {
        return title;
    }

    /** The setting naming the queue it consumes ({@code spark.queue}, {@code flink.queue}). */
    public String queueSetting() {
        return settingsPrefix + ".queue";
    }

    /** The setting naming its checkpoint directory. */
    public String checkpointSetting() {
        return settingsPrefix + ".checkpoint-dir";
    }

    /** Its checkpoint directory in a run's directory. */
    public Path checkpointDir(Path runDir) {
        return runDir.resolve(checkpointDirName);
    }

    /** Where a change's latency ends: "ODS commit", "accepted by the REST API". */
    public String appliedAt() {
        return appliedAt;
    }

    /** DESIGN section 9: the change latency p99 it must stay under at 5,000 events/min. */
    public long latencyBarMillis() {
        return latencyBarMillis;
    }

    public static ConsumerProcess parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "spark" -> SPARK;
            case "flink" -> FLINK;
            default -> throw new IllegalArgumentException("ARCH must be spark or flink, was " + text);
        };
    }

    /** {@code spark} or {@code flink}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Thrown when the module was not built (the launcher builds it; a bare Maven build of cdc-cli does not). */
    public static final class NotBuilt extends Exception {
        NotBuilt(String module, Path jar) {
            super(module + " is not built (" + jar + " missing): run ./cdc again, or ./mvnw -pl " + module
                    + " -am package -DskipTests");
        }
    }

    /** The job's main class, in the consumer's jar and in the job jar. */
    public String mainClass() {
        return mainClass;
    }

    /**
     * Starts this engine's local multi-process cluster in {@code dir}: a Spark standalone Master and Workers, or a
     * Flink JobManager and TaskManagers.
     */
    public LocalCluster startCluster(Path home, Path dir, int workers) throws IOException, InterruptedException {
        return switch (this) {
            case SPARK -> SparkStandaloneCluster.start(home, dir, workers);
            case FLINK -> FlinkSessionCluster.start(home, dir, workers);
        };
    }

    /** The job jar a cluster runs ({@code spark-submit}, {@code flink run}): our code without the engine. */
    public static Path jobJar(Path home, ConsumerProcess architecture) throws NotBuilt {
        Path jar = home.resolve(architecture.module + "/target/" + architecture.module + "-job.jar");
        if (!Files.isRegularFile(jar)) {
            throw new NotBuilt(architecture.module, jar);
        }
        return jar;
    }

    public ProcessBuilder builder(Path home, List<String> args) throws NotBuilt {
        return builder(home, args, null);
    }

    /**
     * The command with {@code javaOptions} for the JVM (e.g. {@code -Xmx256m}); null takes them from
     * {@code SPARK_JAVA_OPTS} or {@code FLINK_JAVA_OPTS}.
     */
    public ProcessBuilder builder(Path home, List<String> args, String javaOptions) throws NotBuilt {
        Path jar = home.resolve(module + "/target/" + module + ".jar");
        Path lib = home.resolve(module + "/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new NotBuilt(module, jar);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = javaOptions != null ? javaOptions : System.getenv(javaOptsVariable);
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        command.add("-Dcdc.home=" + home);
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + lib + java.io.File.separator + "*");
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (this == SPARK) {
            pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1"); // every Spark server on 127.0.0.1
        }
        return pb;
    }

    /** Starts it with this process's standard streams ({@code ./cdc spark}, {@code ./cdc flink}). */
    public int runInForeground(Path home, List<String> args) throws NotBuilt, IOException, InterruptedException {
        Process p = builder(home, args).inheritIO().start();
        Thread forward = new Thread(p::destroy, label() + "-forward-stop"); // Ctrl-C here stops the child gracefully
        Runtime.getRuntime().addShutdownHook(forward);
        int code = p.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
        return code;
    }
}
