package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./cdc demo spark} as users run it: embedded broker and PostgreSQL, the generator with every scenario, the
 * Spark consumer in its own JVM (the cdc-spark module built by this reactor), the drain and the truth check.
 */
class DemoCommandIT {

    @TempDir
    Path dir;

    @Test
    void theSparkDemoEndsWithTheTruthCheckPassing() throws Exception {
        Path config = Files.writeString(dir.resolve("cdc.yaml"),
                Files.readString(Path.of("..", "configs", "cdc.yaml"))
                        .replace("${SOLACE_PORT:5672}", Integer.toString(freePort()))
                        .replace("${POSTGRES_PORT:5432}", Integer.toString(freePort()))
                        .replace("data-dir: data", "data-dir: " + dir.resolve("data"))
                        .replace("  ui: true", "  ui: false"));
        String home = System.getProperty("cdc.home");
        // the demo starts cdc-spark from <home>/cdc-spark/target, which this reactor has just built
        System.setProperty("cdc.home", Path.of("..").toAbsolutePath().normalize().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code;
        try {
            code = cli.execute("demo", "spark", "--duration", "20s", "--rate", "3000/min", "--scenario", "all",
                    "--config", config.toString());
        } finally {
            if (home == null) {
                System.clearProperty("cdc.home");
            } else {
                System.setProperty("cdc.home", home);
            }
        }
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("MATCH: the ODS holds exactly the truth").contains("demo: PASSED")
                .containsPattern("dead letters \\((\\d+) expected\\)");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
