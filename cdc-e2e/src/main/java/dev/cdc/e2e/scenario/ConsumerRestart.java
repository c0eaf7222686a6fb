package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.PipelineRun;

/**
 * F1 and F2: the consumer's JVM ended under live load, by SIGKILL (a crash: nothing flushed) or SIGTERM (a stop:
 * Spark between micro-batches, Flink with a savepoint), and started again while the generator publishes on. It must
 * resume from its checkpoint: nothing lost, nothing doubled.
 */
final class ConsumerRestart extends FaultUnderLoad {

    private final boolean kill;

    private ConsumerRestart(String id, boolean kill, String done) {
        super(id, ScenarioContext.BOTH, done);
        this.kill = kill;
    }

    static ConsumerRestart killed() {
        return new ConsumerRestart("F1", true, "SIGKILL under load, restart");
    }

    static ConsumerRestart stopped() {
        return new ConsumerRestart("F2", false, "SIGTERM under load, restart from checkpoint");
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        if (kill) {
            context.faultStarted("SIGKILL to the consumer");
            run.killConsumer();
        } else {
            context.faultStarted("SIGTERM to the consumer");
            run.stopConsumer();
            context.note("stopped with exit code " + run.consumerExitCode());
        }
        context.phase("consumer down; restarting");
        run.restartConsumer();
        context.healed("consumer restarted");
    }
}
