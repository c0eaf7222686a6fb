package dev.cdc.e2e.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A multi-process cluster of one engine on this machine (each daemon its own JVM, everything on 127.0.0.1) that the
 * job jar is submitted to: what {@code ./cdc demo ARCH --cluster} and scenario C1 run on. Closing stops it all.
 */
public interface LocalCluster extends AutoCloseable {

    /**
     * The client's command: the engine's own submit command for {@code mainClass} of {@code jobJar} with
     * {@code args}. The client stays attached; its standard output carries the job's progress lines.
     */
    ProcessBuilder submit(Path jobJar, String mainClass, List<String> args) throws IOException, InterruptedException;

    /** Kills worker {@code index} (0-based) with SIGKILL, as a lost machine, with what it started. */
    void killWorker(int index) throws InterruptedException;

    /** What the engine calls a worker: Worker (Spark), TaskManager (Flink). */
    String workerName();

    /** How many workers the cluster's master counts as alive. */
    int aliveWorkers() throws IOException, InterruptedException;

    /** The master's web UI. */
    String webUi();

    /** For people: what the cluster is, e.g. "Spark standalone cluster spark://..., 2 Workers". */
    String describe() throws IOException, InterruptedException;

    /**
     * Waits until the master counts {@code expected} workers, failing at once when one of {@code daemons} (by the
     * name of its log, {@code logDir/NAME.log}) exits: a daemon that died never registers.
     */
    default void awaitWorkers(int expected, Duration atMost, Map<String, Process> daemons, Path logDir)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            try {
                if (aliveWorkers() >= expected) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web endpoint is not up yet
            }
            for (Map.Entry<String, Process> d : daemons.entrySet()) {
                if (!d.getValue().isAlive()) {
                    throw new IllegalStateException(d.getKey() + " exited; see " + logDir.resolve(d.getKey() + ".log"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(expected + " " + workerName() + "s did not register within "
                        + atMost.toSeconds() + " s; see the logs in " + logDir);
            }
            daemons.values().iterator().next().waitFor(500, TimeUnit.MILLISECONDS);
        }
    }

    /** Links the jars an engine's build copied into {@code into}, less those whose names start as in {@code leaveOut}. */
    static void linkJars(Path built, Path into, List<String> leaveOut) throws IOException {
        java.nio.file.Files.createDirectories(into);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(built)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                String name = jar.getFileName().toString();
                if (leaveOut.stream().noneMatch(name::startsWith)) {
                    java.nio.file.Files.createSymbolicLink(into.resolve(name), jar.toAbsolutePath());
                }
            }
        }
    }

    /** Stops daemons and what they started: SIGTERM, then SIGKILL after 15 s. */
    static void stop(List<Process> daemons) {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : daemons) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** Stops every daemon. */
    @Override
    void close();
}
