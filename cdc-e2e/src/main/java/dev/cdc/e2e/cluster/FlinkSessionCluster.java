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
 * A Flink session cluster on this machine, each part in its own JVM: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) of two slots each, from
 * the Flink jars cdc-flink's build copied (flink-dist, which bin/ and lib/ come from, is not served here). What
 * Flink's scripts would do is done here: {@code lib/} links to those jars less what the job jar brings, a
 * {@code config.yaml} in {@code conf/}, the Java 17 module flags of Flink's default configuration on every command,
 * and the TaskManagers' memory options from Flink's own {@code BashJavaUtils}. Everything binds 127.0.0.1. The job
 * jar is submitted with Flink's command line ({@code CliFrontend run}, what {@code bin/flink run} runs), attached:
 * the client is the job's main, which prints the progress and stops the job with a savepoint on SIGTERM.
 */
public final class FlinkSessionCluster implements LocalCluster {

    /** Jars the job jar carries itself (cdc-flink's shade includes); the cluster brings Flink and the rest. */
    private static final List<String> JOB_JAR_BRINGS = List.of("cdc-", "qpid-jms-client-", "proton-j-",
            "jakarta.jms-api-", "netty-", "resilience4j-", "vavr-", "picocli-", "HdrHistogram-", "jackson-",
            "snakeyaml-2", "flink-connector-base-", "micrometer-", "prometheus-metrics-", "LatencyUtils-");

    /** The module flags Flink's default configuration puts in env.java.opts.all for Java 17 (its scripts add them). */
    private static final List<String> JAVA_MODULE_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /**
     * For the JVMs that do little work (JobManager, client, BashJavaUtils): the C1 compiler alone and one GC thread,
     * so four JVMs starting at once on two cores leave the CPU to the TaskManagers (startup about 10 s shorter).
     */
    private static final List<String> LIGHT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path home;
    private final Path dir;
    private final Path conf;
    private final Path lib;
    private final int restPort;
    private final List<Process> taskManagers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process jobManager;

    private FlinkSessionCluster(Path home, Path dir) throws IOException {
        this.home = home;
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.lib = dir.resolve("lib");
        this.restPort = freePort();
    }

    /** Starts a JobManager and {@code taskManagers} TaskManagers and waits until every one has registered. */
    public static FlinkSessionCluster start(Path home, Path dir, int taskManagers) throws IOException, InterruptedException {
        FlinkSessionCluster cluster = new FlinkSessionCluster(home, dir);
        try {
            cluster.linkJars();
            cluster.writeConfig();
            Process jmParams = cluster.resourceParams("GET_JM_RESOURCE_PARAMS");
            Process tmParams = cluster.resourceParams("GET_TM_RESOURCE_PARAMS"); // both JVMs at once: it is slow to start
            List<String> jm = cluster.read(jmParams, "GET_JM_RESOURCE_PARAMS");
            List<String> tm = cluster.read(tmParams, "GET_TM_RESOURCE_PARAMS");
            cluster.jobManager = cluster.daemon("jobmanager", jm, LIGHT_JVM,
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of());
            for (int i = 1; i <= taskManagers; i++) {
                cluster.taskManagers.add(cluster.daemon("taskmanager-" + i, tm, List.of(),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        List.of("-D", "taskmanager.resource-id=taskmanager-" + i)));
            }
            cluster.awaitWorkers(taskManagers, Duration.ofMinutes(3), cluster.daemons(), cluster.dir);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The JobManager's web UI (and REST API). */
    @Override
    public String webUi() {
        return "http://127.0.0.1:" + restPort;
    }

    @Override
    public String workerName() {
        return "TaskManager";
    }

    @Override
    public String describe() throws IOException, InterruptedException {
        return "Flink session cluster, a JobManager and " + aliveWorkers() + " TaskManagers of 2 slots (web UI "
                + webUi() + "); job jar submitted with flink run";
    }

    /**
     * The client's command: {@code flink run -c mainClass jobJar args} (Flink's {@code CliFrontend} with this
     * cluster's configuration), attached, so it is the job's main that prints progress and stops the job.
     */
    @Override
    public ProcessBuilder submit(Path jobJar, String mainClass, List<String> args) {
        List<String> options = new ArrayList<>(LIGHT_JVM);
        options.addAll(List.of("-Xmx512m", "-Dcdc.home=" + home));
        List<String> command = java(options);
        command.addAll(List.of("org.apache.flink.client.cli.CliFrontend", "run", "-c", mainClass, jobJar.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString()); // how the command line finds config.yaml
        return pb;
    }

    /** Kills TaskManager {@code index} (0-based) with SIGKILL; the job restarts from its checkpoint on the others. */
    @Override
    public void killWorker(int index) throws InterruptedException {
        Process tm = taskManagers.get(index);
        tm.destroyForcibly();
        tm.waitFor(30, TimeUnit.SECONDS);
    }

    /** How many TaskManagers the JobManager counts as registered (a killed one until its heartbeat times out). */
    @Override
    public int aliveWorkers() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webUi() + "/taskmanagers"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /taskmanagers answered " + r.statusCode());
        }
        JsonNode body = DebeziumJsonCodec.mapper().readTree(r.body());
        return body.path("taskmanagers").size();
    }

    /** The daemons by the names of their logs, the master first. */
    private java.util.Map<String, Process> daemons() {
        java.util.Map<String, Process> all = new java.util.LinkedHashMap<>();
        all.put("jobmanager", jobManager);
        for (int i = 0; i < taskManagers.size(); i++) {
            all.put("taskmanager-" + (i + 1), taskManagers.get(i));
        }
        return all;
    }

    private Process daemon(String name, List<String> memory, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        List<String> jvm = new ArrayList<>(List.of(memory.get(0).trim().split("\\s+"))); // -Xmx and the rest it chose
        jvm.addAll(jvmOptions);
        jvm.add("-Dcdc.home=" + home); // the job resolves relative paths (dlq.spill-dir) against it, as locally
        List<String> command = java(jvm);
        command.addAll(List.of(mainClass, "--configDir", conf.toString()));
        command.addAll(List.of(memory.get(1).trim().split("\\s+"))); // -D key=value: the memory sizes it chose
        command.addAll(args);
        return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    /** Flink's BashJavaUtils (what its scripts run): the JVM's memory flags and the dynamic properties to pass. */
    private Process resourceParams(String which) throws IOException {
        List<String> options = new ArrayList<>(LIGHT_JVM);
        options.add("-Xmx128m");
        List<String> command = java(options);
        command.addAll(List.of("org.apache.flink.runtime.util.bash.BashJavaUtils", which, "--configDir", conf.toString()));
        return new ProcessBuilder(command).redirectError(dir.resolve("bash-java-utils.log").toFile()).start();
    }

    private List<String> read(Process p, String which) throws IOException, InterruptedException {
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            out = buffer.toByteArray();
        }
        List<String> result = new String(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(RESULT))
                .map(l -> l.substring(RESULT.length())).toList();
        if (p.waitFor() != 0 || result.size() < 2) {
            throw new IllegalStateException("Flink's BashJavaUtils " + which + " failed; see "
                    + dir.resolve("bash-java-utils.log"));
        }
        return result.subList(result.size() - 2, result.size());
    }

    private List<String> java(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA_MODULE_FLAGS);
        command.addAll(options);
        command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        // Flink logs through slf4j-simple here (cdc-flink's binding; a distribution brings log4j): with times
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        command.addAll(List.of("-cp", lib + File.separator + "*"));
        return command;
    }

    /**
     * {@code conf/config.yaml}: every server on 127.0.0.1 and free ports; two slots per TaskManager spread evenly,
     * so one TaskManager left still has the slots of the job's parallelism (2); fast heartbeats, so a killed
     * TaskManager is noticed in seconds; metrics fetched every second for the client's progress lines.
     */
    private void writeConfig() throws IOException {
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("jobmanager.rpc.address", "127.0.0.1");
        settings.put("jobmanager.rpc.port", Integer.toString(freePort()));
        settings.put("jobmanager.bind-host", "127.0.0.1");
        settings.put("jobmanager.memory.process.size", "768m");
        settings.put("taskmanager.host", "127.0.0.1");
        settings.put("taskmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.numberOfTaskSlots", "2");
        settings.put("taskmanager.load-balance.mode", "slots");
        settings.put("taskmanager.memory.process.size", "1280m");
        settings.put("taskmanager.memory.jvm-metaspace.size", "192m");
        settings.put("taskmanager.memory.managed.size", "64m");
        settings.put("rest.address", "127.0.0.1");
        settings.put("rest.bind-address", "127.0.0.1");
        settings.put("rest.port", Integer.toString(restPort));
        settings.put("heartbeat.interval", "2000");
        settings.put("heartbeat.timeout", "8000");
        settings.put("metrics.fetcher.update-interval", "1000");
        settings.put("io.tmp.dirs", dir.resolve("tmp").toString());
        settings.put("web.tmpdir", dir.resolve("tmp/web").toString());
        settings.put("web.upload.dir", dir.resolve("upload").toString());
        StringBuilder yaml = new StringBuilder("# written by FlinkSessionCluster for this run\n");
        settings.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
    }

    /** {@code lib/}: links to the jars cdc-flink's build copied, less those the job jar carries. */
    private void linkJars() throws IOException {
        Path built = home.resolve("cdc-flink/target/lib");
        if (!Files.isDirectory(built)) {
            throw new IllegalStateException("cdc-flink is not built (" + built + " missing): run ./cdc again");
        }
        LocalCluster.linkJars(built, lib, JOB_JAR_BRINGS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the TaskManagers and the JobManager (SIGTERM, then SIGKILL after 15 s). */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(taskManagers);
        if (jobManager != null) {
            all.add(jobManager);
        }
        LocalCluster.stop(all);
    }
}
