package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * O2: a second consumer JVM started with the same consumer id ({@code ods.consumer-id} or
 * {@code flink.consumer-id}, the configured one) and its own checkpoint directory, while the first runs and the
 * generator publishes. They compete for the queue; nothing may be skipped as "already applied" by the other's
 * batches, nothing doubled (issue 14, path 1).
 */
final class SameConsumerId extends FaultUnderLoad {

    private static final Duration TOGETHER = Duration.ofSeconds(25);

    SameConsumerId() {
        super("O2", ScenarioContext.BOTH, "second consumer, same consumer id, under load");
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        boolean spark = context.architecture() == ConsumerProcess.SPARK;
        String checkpointKey = spark ? "spark.checkpoint-dir" : "flink.checkpoint-dir";
        context.faultStarted("second consumer with the same consumer id started");
        Process second = run.startExtraConsumer(Map.of(checkpointKey, context.dir().resolve("second-checkpoint").toString()),
                context.dir().resolve("second-consumer.log"));
        context.hold(TOGETHER);
        if (!second.isAlive()) {
            context.note("the second consumer exited by itself (code " + second.exitValue() + ")");
        }
        second.destroy(); // SIGTERM: a stop, as an operator would
        if (!second.waitFor(120, TimeUnit.SECONDS)) {
            second.destroyForcibly();
        }
        context.healed("second consumer stopped");
    }
}
