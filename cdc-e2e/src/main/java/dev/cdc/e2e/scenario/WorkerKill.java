package dev.cdc.e2e.scenario;

import dev.cdc.e2e.cluster.LocalCluster;
import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;

/**
 * C1: the job on a local multi-process cluster, one worker killed with SIGKILL under load, as a machine would be
 * lost. Spark (a Master, two Workers, the driver submitted with spark-submit): the Worker and its executor die, the
 * driver runs the lost tasks on the other executor and goes on. Flink (a JobManager, two TaskManagers of two slots,
 * the job submitted with flink run): a TaskManager dies, the job restarts from its last checkpoint on the other
 * TaskManager's two slots (the job's parallelism), and the broker redelivers what that checkpoint had not
 * acknowledged. Either way the same client goes on (no restart of ours) and the truth holds.
 */
final class WorkerKill extends FaultUnderLoad {

    WorkerKill() {
        super("C1", ScenarioContext.BOTH, "a Worker (Spark, with its executor) or TaskManager (Flink) SIGKILLed on a"
                + " 2-worker cluster");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) {
        return ConsumerOptions.NONE.onCluster();
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(15); // the job's tasks start after the client: let both workers take work first
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        context.faultStarted("SIGKILL to " + cluster.workerName() + " 1");
        cluster.killWorker(0);
        context.healed("the job goes on with one " + cluster.workerName());
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        if (!run.consumerAlive()) {
            return "the client ended (exit " + run.consumerExitCode() + ")";
        }
        LocalCluster cluster = run.cluster();
        int alive = cluster.aliveWorkers();
        context.note(alive + " " + cluster.workerName() + " alive at the end");
        return alive == 1 ? null : "expected 1 " + cluster.workerName() + " alive after the kill, the cluster counts " + alive;
    }
}
