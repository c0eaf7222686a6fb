package dev.cdc.cli.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark consumer runs in its own JVM with cdc-spark's class path: Spark never shares a class path with Flink,
 * nor with this command line. This builds the command that starts it.
 */
public final class SparkProcess {

    private SparkProcess() {
    }

    /** Thrown when cdc-spark was not built (the launcher builds it; a bare Maven build of cdc-cli does not). */
    public static final class NotBuilt extends Exception {
        NotBuilt(Path jar) {
            super("cdc-spark is not built (" + jar + " missing): run ./cdc again, or ./mvnw -pl cdc-spark -am package -DskipTests");
        }
    }

    public static ProcessBuilder builder(Path home, List<String> args) throws NotBuilt {
        Path jar = home.resolve("cdc-spark/target/cdc-spark.jar");
        Path lib = home.resolve("cdc-spark/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new NotBuilt(jar);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv("SPARK_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        command.add("-Dcdc.home=" + home);
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + lib + java.io.File.separator + "*");
        command.add("dev.cdc.spark.SparkMain");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1"); // every Spark server on 127.0.0.1
        return pb;
    }

    /** Starts it with this process's standard streams (./cdc spark). */
    public static int runInForeground(Path home, List<String> args) throws NotBuilt, IOException, InterruptedException {
        Process p = builder(home, args).inheritIO().start();
        Thread forward = new Thread(p::destroy, "spark-forward-stop"); // Ctrl-C here stops the child gracefully
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
