package dev.cdc.e2e.scenario;

import dev.cdc.e2e.cluster.SparkStandaloneCluster;
import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;
import java.util.Set;

/**
 * C1: the job on a local multi-process cluster (Spark standalone: a Master, two Workers, the driver submitted with
 * spark-submit), one Worker and its executor killed with SIGKILL under load, as a machine would be lost. The driver
 * runs the lost tasks on the other executor and goes on: the same driver, no restart, truth holds.
 */
final class WorkerKill extends FaultUnderLoad {

    WorkerKill() {
        super("C1", Set.of(ConsumerProcess.SPARK), "a Worker and its executor SIGKILLed on a 2-Worker cluster");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) {
        return ConsumerOptions.NONE.onCluster();
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(15); // the executors start after the driver: let both take batches first
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        SparkStandaloneCluster cluster = run.cluster();
        context.faultStarted("SIGKILL to Worker 1 and its executor");
        cluster.killWorker(0);
        context.healed("the job goes on with one Worker");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        if (!run.consumerAlive()) {
            return "the driver ended (exit " + run.consumerExitCode() + ")";
        }
        int alive = run.cluster().aliveWorkers();
        context.note(alive + " Worker alive at the end");
        return alive == 1 ? null : "expected 1 Worker alive after the kill, the Master counts " + alive;
    }
}
