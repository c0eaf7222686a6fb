package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.Rate;
import java.nio.file.Files;
import java.time.Duration;

/**
 * F8: the consumer's JVM with a small heap (256 MB; Spark 512 MB, the least it starts with) while every order carries a SHIPPING_INFO document of about 1 MB
 * (10,000 items); the consumer is killed for 10 s so that it restarts into a backlog of such documents, the case
 * where buffers bounded by message count rather than bytes run out of memory (issue 14, path 6). No
 * OutOfMemoryError in its log, still running at the end, nothing lost.
 */
final class SmallHeap extends FaultUnderLoad {

    private static final Duration DOWN = Duration.ofSeconds(10);

    SmallHeap() {
        super("F8", ScenarioContext.BOTH, "small heap (Flink 256 MB, Spark 512 MB), 1 MB XML, restart into backlog");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) {
        // Spark refuses to start below about 450 MB of heap (INVALID_DRIVER_MEMORY): its smallest is 512 MB
        return ConsumerOptions.NONE.withJavaOptions(context.architecture() == ConsumerProcess.SPARK ? "-Xmx512m" : "-Xmx256m");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        // 20 s: the kill at about 8 s and the restart leave the rest of the load as a backlog; a longer load only
        // lengthens the drain (Spark takes a few documents per batch on this heap)
        return ScenarioContext.load(Rate.parse("60/s"), Duration.ofSeconds(20), "").toBuilder()
                .snapshotOrders(20).shippingItems(10_000).build();
    }

    @Override
    Duration drainTimeout() {
        return Duration.ofSeconds(240);
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        context.faultStarted("SIGKILL to the consumer; a backlog of 1 MB documents builds for " + DOWN.toSeconds() + " s");
        run.killConsumer();
        context.hold(DOWN);
        run.restartConsumer();
        context.healed("consumer restarted into the backlog");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        String log = Files.exists(run.log()) ? Files.readString(run.log()) : "";
        return log.contains("OutOfMemoryError") ? "OutOfMemoryError in " + run.log() : null;
    }
}
