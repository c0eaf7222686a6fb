package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.PipelineRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
            long logBefore = Files.exists(run.log()) ? Files.size(run.log()) : 0;
            run.stopConsumer();
            context.note("stopped with exit code " + run.consumerExitCode());
            String stopLog = tail(run.log(), logBefore);
            if (stopLog.contains("Exception")) { // issue 14, path 7: a stop says one line
                context.problem("the stop printed a stack trace (" + firstLine(stopLog, "Exception") + ")");
            }
        }
        context.phase("consumer down; restarting");
        run.restartConsumer();
        context.healed("consumer restarted");
    }

    private static String tail(Path log, long from) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        return new String(Arrays.copyOfRange(all, (int) Math.min(from, all.length), all.length), StandardCharsets.UTF_8);
    }

    private static String firstLine(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().map(String::strip)
                .map(l -> l.length() > 120 ? l.substring(0, 120) + "..." : l).orElse("");
    }
}
