package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.infra.DataDirectory;

/**
 * O1: an operator stops the consumer, removes its checkpoint directory and starts it again while the generator
 * publishes on. The new checkpoint must not make new messages count as "already applied" (issue 14, path 1).
 */
final class CheckpointRemoved extends FaultUnderLoad {

    CheckpointRemoved() {
        super("O1", ScenarioContext.BOTH, "stop, checkpoint dir removed, restart under load");
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        context.faultStarted("SIGTERM to the consumer; removing " + run.checkpointDir());
        run.stopConsumer();
        DataDirectory.delete(run.checkpointDir());
        run.restartConsumer();
        context.healed("consumer restarted on an empty checkpoint directory");
    }
}
