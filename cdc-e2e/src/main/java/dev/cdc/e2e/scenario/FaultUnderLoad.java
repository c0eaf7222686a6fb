package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The shape most scenarios share: start the pipeline, publish at a rate, let it settle, do the fault (and heal it)
 * while the generator goes on, drain, check the truth. A subclass says what it does in {@link #fault}; the rest has
 * defaults it may change.
 */
abstract class FaultUnderLoad implements Scenario {

    private final String id;
    private final Set<dev.cdc.e2e.pipeline.ConsumerProcess> architectures;
    private final String done;

    FaultUnderLoad(String id, Set<dev.cdc.e2e.pipeline.ConsumerProcess> architectures, String done) {
        this.id = id;
        this.architectures = architectures;
        this.done = done;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<dev.cdc.e2e.pipeline.ConsumerProcess> architectures() {
        return architectures;
    }

    @Override
    public String done() {
        return done;
    }

    /** The generator run (default: {@link ScenarioContext#load(String)} without generator scenarios). */
    GeneratorConfig load(ScenarioContext context) {
        return ScenarioContext.load("");
    }

    /** A text edit of the configuration (default: none). */
    UnaryOperator<String> configEdit(ScenarioContext context) {
        return UnaryOperator.identity();
    }

    /** How the consumer is started (default: as configured). */
    ConsumerOptions consumerOptions(ScenarioContext context) throws Exception {
        return ConsumerOptions.NONE;
    }

    /** How long the pipeline runs under load before the fault. */
    Duration settle() {
        return Duration.ofSeconds(8);
    }

    /**
     * Whether the fault waits for the consumer's first messages (default: yes, so it lands while the consumer
     * works); a fault that takes long to start itself (a second consumer JVM) begins while the first warms up.
     */
    boolean awaitsConsuming() {
        return true;
    }

    /** How long the drain may take after the generator ends. */
    Duration drainTimeout() {
        return Duration.ofSeconds(120);
    }

    /** Does the fault, marking it with {@link ScenarioContext#faultStarted} and {@link ScenarioContext#healed}. */
    abstract void fault(ScenarioContext context, PipelineRun run) throws Exception;

    /** A scenario's own check after the drain; null when it holds (default: none). */
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        return null;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        java.nio.file.Path config = context.writeConfig(configEdit(context));
        PipelineRun run = context.start(config, consumerOptions(context));
        context.publish(load(context));
        context.hold(settle());
        if (awaitsConsuming()) {
            context.awaitConsuming(Duration.ofSeconds(60)); // the fault lands while the consumer is working
        }
        fault(context, run);
        String drained = context.drain(drainTimeout());
        String own = drained == null ? check(context, run) : null;
        return context.finish(done, drained, own);
    }
}
