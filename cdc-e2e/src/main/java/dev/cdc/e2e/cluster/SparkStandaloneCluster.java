package dev.cdc.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, each part in its own JVM: a Master and Workers (one core each), from
 * the Spark jars the cdc-spark module's build copied (there is no Spark distribution here). Every command is built
 * by Spark's own launcher ({@code org.apache.spark.launcher.Main}, what {@code bin/spark-class} runs), so the JVM
 * options are Spark's; {@code SPARK_HOME} is a directory whose {@code jars/} links to those jars, less what the job
 * jar brings itself. Everything binds 127.0.0.1. The job is submitted in client mode: the driver is a process of
 * ours, which reads the queue and commits; the executors the Workers start apply the batches.
 */
public final class SparkStandaloneCluster implements LocalCluster {

    /** Jars the job jar carries itself (cdc-spark's shade includes); the cluster brings Spark, Scala and the rest. */
    private static final List<String> JOB_JAR_BRINGS = List.of("cdc-", "HikariCP-", "flyway-", "jakarta.jms-api-",
            "picocli-", "postgresql-", "proton-j-", "qpid-jms-client-", "resilience4j-", "HdrHistogram-",
            "jackson-dataformat-yaml-", "snakeyaml-", "micrometer-", "prometheus-metrics-", "LatencyUtils-");

    private final Path home;
    private final Path dir;
    private final Path sparkHome;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> workers = new ArrayList<>();
    private Process master;

    private SparkStandaloneCluster(Path home, Path dir) throws IOException {
        this.home = home;
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        this.masterPort = freePort();
        this.masterUiPort = freePort();
    }

    /** Starts a Master and {@code workers} Workers and waits until every Worker has registered. */
    public static SparkStandaloneCluster start(Path home, Path dir, int workers) throws IOException, InterruptedException {
        SparkStandaloneCluster cluster = new SparkStandaloneCluster(home, dir);
        try {
            cluster.linkJars();
            cluster.master = cluster.daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.masterPort), "--webui-port", Integer.toString(cluster.masterUiPort)));
            for (int i = 1; i <= workers; i++) {
                Path workDir = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.workers.add(cluster.daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker",
                        cluster.masterUrl(), "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                        "--webui-port", Integer.toString(freePort()), "--work-dir", workDir.toString())));
            }
            cluster.awaitWorkers(workers, Duration.ofMinutes(3), cluster.daemons(), cluster.dir);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The Master's web UI: Workers, applications, executors. */
    @Override
    public String webUi() {
        return "http://127.0.0.1:" + masterUiPort;
    }

    /**
     * The driver's command: {@code spark-submit} in client mode of the job jar's main class with {@code args}, as
     * Spark's launcher builds it; its standard output carries the job's progress lines.
     */
    @Override
    public ProcessBuilder submit(Path jobJar, String mainClass, List<String> args) throws IOException, InterruptedException {
        List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
                "--deploy-mode", "client", "--name", "cdc-spark",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=768m", "--conf", "spark.driver.memory=1g",
                "--conf", "spark.driver.extraJavaOptions=-Dcdc.home=" + home,
                "--class", mainClass, jobJar.toString()));
        submit.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(launch(submit));
        environment(pb.environment());
        return pb;
    }

    /**
     * Kills one Worker as a machine failure would: SIGKILL to the Worker and to the executor it started. The driver
     * reschedules the lost tasks on the other executors.
     */
    @Override
    public void killWorker(int index) throws InterruptedException {
        Process worker = workers.get(index);
        List<ProcessHandle> all = new ArrayList<>(worker.descendants().toList());
        all.add(worker.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> p).join();
        }
    }

    /** How many Workers the Master counts as alive. */
    @Override
    public int aliveWorkers() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(webUi() + "/json/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode status = DebeziumJsonCodec.mapper().readTree(r.body());
        return status.path("aliveworkers").asInt();
    }

    @Override
    public String workerName() {
        return "Worker";
    }

    @Override
    public String describe() throws IOException, InterruptedException {
        return "Spark standalone cluster " + masterUrl() + ", " + aliveWorkers() + " Workers (Master UI " + webUi()
                + "); job jar submitted with spark-submit";
    }

    /** The daemons by the names of their logs, the master first. */
    private java.util.Map<String, Process> daemons() {
        java.util.Map<String, Process> all = new java.util.LinkedHashMap<>();
        all.put("master", master);
        for (int i = 0; i < workers.size(); i++) {
            all.put("worker-" + (i + 1), workers.get(i));
        }
        return all;
    }

    private Process daemon(String name, List<String> classAndArgs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(launch(classAndArgs))
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        environment(pb.environment());
        return pb.start();
    }

    /** The command Spark's launcher builds for a class and its arguments (NUL-separated on its output). */
    private List<String> launch(List<String> classAndArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", sparkHome.resolve("jars") + File.separator + "*",
                "org.apache.spark.launcher.Main"));
        command.addAll(classAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        environment(pb.environment());
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            out = buffer.toByteArray();
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Spark's launcher failed for " + classAndArgs.get(0));
        }
        List<String> built = new ArrayList<>();
        for (String part : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!part.isBlank()) {
                built.add(part.strip()); // the launcher starts its output with a line break
            }
        }
        return built;
    }

    private void environment(Map<String, String> env) {
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13"); // else the launcher looks for a source tree's build directories
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
        env.put("SPARK_DAEMON_MEMORY", "256m");
        env.put("SPARK_MASTER_OPTS", "-Dspark.master.rest.enabled=false"); // no submission server on port 6066
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    /** {@code SPARK_HOME/jars}: links to the jars cdc-spark's build copied, less those the job jar carries. */
    private void linkJars() throws IOException {
        Path lib = home.resolve("cdc-spark/target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("cdc-spark is not built (" + lib + " missing): run ./cdc again");
        }
        Files.createDirectories(sparkHome.resolve("conf"));
        Files.createDirectories(dir.resolve("local"));
        LocalCluster.linkJars(lib, sparkHome.resolve("jars"), JOB_JAR_BRINGS);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the Workers (and their executors) and the Master. */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        if (master != null) {
            all.add(master);
        }
        LocalCluster.stop(all);
    }
}
