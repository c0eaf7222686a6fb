package dev.cdc.e2e.pipeline;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.truth.SourceTruth;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run's consumer writes to, one per architecture ({@link OdsTarget} for Spark, {@link ApiTarget} for Flink):
 * it starts and stops with the run, tells the consumer where it is, and checks what it holds against the truth.
 * The demo, the benchmark and the scenarios work through it; only a scenario about one target (its outage) reaches
 * for the concrete type, with {@link PipelineRun#target(Class)}.
 */
public sealed interface Target extends AutoCloseable permits OdsTarget, ApiTarget {

    /** Starts the target an architecture writes to, its data under {@code dir}. */
    static Target start(ConsumerProcess architecture, Configuration c, Path home, Path dir) throws Exception {
        return switch (architecture) {
            case SPARK -> OdsTarget.start(c, home, dir);
            case FLINK -> ApiTarget.start(c, dir);
        };
    }

    /** Settings the consumer is started with to reach this target ({@code --set KEY=VALUE}). */
    Map<String, String> consumerSettings();

    /** Environment variables the consumer is started with: secrets, never on a command line {@code ps} shows. */
    Map<String, String> consumerEnvironment();

    /** One line for people: what it is and where to look at it. */
    String describe();

    /**
     * The target's figures in Prometheus' format, served with the broker's (empty: the target serves its own, as
     * the REST API does on its {@code /metrics}).
     */
    default String scrape() {
        return "";
    }

    /** The target against the truth, and the dead letters against the ones expected. */
    TruthVerdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters) throws Exception;

    @Override
    void close() throws Exception;
}
