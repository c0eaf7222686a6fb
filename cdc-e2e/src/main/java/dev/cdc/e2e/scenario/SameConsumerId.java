package dev.cdc.e2e.scenario;

import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * O2: a second consumer JVM started with the same consumer id ({@code ods.consumer-id} or
 * {@code flink.consumer-id}, the configured one) and its own checkpoint directory, while the first runs and the
 * generator publishes. Once it runs, both are on the queue for 15 s: on the shipped leased queue (or an exclusive one)
 * the second is a hot standby that receives nothing; on a non-exclusive one both compete. Either way nothing may be skipped as
 * "already applied" by the other's batches, nothing doubled, and no join split between two jobs (issue 14, path 1).
 */
final class SameConsumerId extends FaultUnderLoad {

    private static final Duration TOGETHER = Duration.ofSeconds(15);
    private static final Duration SECOND_START = Duration.ofSeconds(120);

    SameConsumerId() {
        super("O2", ScenarioContext.BOTH, "second consumer, same consumer id, 15 s together");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        // long enough that the second JVM (up to half a minute to start here) finds work beside the first
        return ScenarioContext.load(ScenarioContext.RATE, Duration.ofSeconds(55), "");
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(2);
    }

    @Override
    boolean awaitsConsuming() {
        return false; // the second JVM starts while the first takes its first batches
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        String checkpointKey = context.architecture().checkpointSetting();
        context.faultStarted("starting a second consumer with the same consumer id");
        Path log = context.dir().resolve("second-consumer.log");
        Process second = run.startExtraConsumer(Map.of(checkpointKey, context.dir().resolve("second-checkpoint").toString()),
                log);
        try {
            long deadline = System.nanoTime() + SECOND_START.toNanos();
            while (second.isAlive() && consumed(log) < 0 && System.nanoTime() < deadline) {
                second.waitFor(500, TimeUnit.MILLISECONDS);
            }
            if (consumed(log) < 0) {
                context.problem("the second consumer never ran (" + (second.isAlive() ? "running" : "exit "
                        + second.exitValue()) + "); see " + log);
                return;
            }
            context.phase("two consumers with the same id on the queue together");
            context.hold(TOGETHER);
            if (!second.isAlive()) {
                context.note("the second consumer exited by itself (code " + second.exitValue() + ")");
            }
        } finally {
            second.destroy(); // SIGTERM: a stop, as an operator would
            if (!second.waitFor(120, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
            long consumed = Math.max(0, consumed(log));
            context.note("the second consumer consumed " + consumed + " events"
                    + " (on a leased or exclusive queue it waits as a standby)");
            if (consumed > 0 && run.queue().access() != QueueSpec.Access.NON_EXCLUSIVE) {
                context.problem("the second consumer consumed " + consumed + " events from " + run.queue().name()
                        + ", whose access is " + run.queue().access() + ": it should have waited as a standby");
            }
            context.healed("second consumer stopped");
        }
    }

    /** Events the second consumer reported in its last progress line; -1 before its first one. */
    private static long consumed(Path log) throws IOException {
        Path progress = log.resolveSibling(log.getFileName() + ".progress");
        if (!Files.exists(progress)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(progress);
        for (int i = lines.size() - 1; i >= 0; i--) {
            var p = dev.cdc.common.progress.ConsumerProgress.parse(lines.get(i)); // empty for a half-written line
            if (p.isPresent()) {
                return p.get().events();
            }
        }
        return -1;
    }
}
