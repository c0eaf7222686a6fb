package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.Rate;
import java.nio.file.Files;
import java.time.Duration;

/**
 * F8: the consumer's JVM with a 256 MB heap while every order carries a SHIPPING_INFO document of about 1 MB
 * (10,000 items); the consumer is killed for 20 s so that it restarts into a backlog of such documents, the case
 * where buffers bounded by message count rather than bytes run out of memory (issue 14, path 6). No
 * OutOfMemoryError in its log, still running at the end, nothing lost.
 */
final class SmallHeap extends FaultUnderLoad {

    private static final Duration DOWN = Duration.ofSeconds(20);

    SmallHeap() {
        super("F8", ScenarioContext.BOTH, "heap 256 MB, 1 MB XML documents, restart into their backlog");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) {
        return ConsumerOptions.NONE.withJavaOptions("-Xmx256m");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        return ScenarioContext.load(Rate.parse("60/s"), Duration.ofSeconds(35), "").toBuilder()
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
        context.healed("consumer restarted with -Xmx256m into the backlog");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        String log = Files.exists(run.log()) ? Files.readString(run.log()) : "";
        return log.contains("OutOfMemoryError") ? "OutOfMemoryError in " + run.log() : null;
    }
}
