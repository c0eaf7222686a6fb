package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./cdc demo spark} and {@code ./cdc demo flink} as users run them: the embedded broker with PostgreSQL or the
 * REST API, the generator with every scenario, the consumer in its own JVM (the cdc-spark or cdc-flink module built by
 * this reactor), the drain and the truth check.
 */
class DemoCommandIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"spark", "flink"})
    void theDemoEndsWithTheTruthCheckPassing(String architecture) throws Exception {
        Path config = Files.writeString(dir.resolve("cdc.yaml"),
                Files.readString(Path.of("..", "configs", "cdc.yaml"))
                        .replace("${SOLACE_PORT:5672}", Integer.toString(freePort()))
                        .replace("${POSTGRES_PORT:5432}", Integer.toString(freePort()))
                        .replace("${REST_API_PORT:8080}", Integer.toString(freePort()))
                        .replace("${SPARK_METRICS_PORT:9464}", "0").replace("${FLINK_METRICS_PORT:9465}", "0")
                        .replace("${INFRA_METRICS_PORT:9466}", "0")
                        .replace("data-dir: data", "data-dir: " + dir.resolve("data"))
                        .replace("  ui: true", "  ui: false"));
        // the demo starts the consumer from <home>/cdc-ARCH/target, which this reactor has just built
        FromRepository.Run run = FromRepository.cdc("demo", architecture, "--duration", "20s", "--rate", "3000/min",
                "--scenario", "all", "--config", config.toString());
        String out = run.out();
        assertThat(run.code()).as(out + "\n" + run.err()).isZero();
        assertThat(out).contains(architecture.equals("spark") ? "MATCH: the ODS holds exactly the truth"
                : "  MATCH").contains("demo: PASSED").containsPattern("dead letters.* \\((\\d+) expected\\)")
                .containsPattern("demo: metrics http://127\\.0\\.0\\.1:\\d+/metrics: \\d+ samples; cdc_consumer_events_total"
                        + " [\\d,]+, as the progress line counts; by error type [\\d,]+ dead letters, by target [\\d,]+"
                        + " written, as in all")
                .containsPattern("demo: metrics http://127\\.0\\.0\\.1:\\d+/metrics: generator [1-9][\\d,]* published;"
                        + " cdc\\.events [\\d,]+ enqueued, [\\d,]+"
                        + " acknowledged, 0 waiting" + (architecture.equals("spark")
                        ? "; PostgreSQL up, [\\d.,]+ MB, [1-9][\\d,]* commits" : "\n"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
