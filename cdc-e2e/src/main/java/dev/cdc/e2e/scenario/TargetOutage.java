package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ApiTarget;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.OdsTarget;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;
import java.util.Set;

/**
 * The consumer's target away under load, then back: a transient fault. The consumer must back off and acknowledge
 * nothing meanwhile, ride out the outage whatever its length, turn nothing into a dead letter, and land everything
 * once after (issue 14, paths 3 and 4); the truth check's dead-letter count says so.
 * <ul>
 *   <li>F4 (Architecture A): PostgreSQL stopped for 30 s (F4L: 3 minutes) and started again on its data.</li>
 *   <li>F5 (Architecture B): the REST API answers every write with 503 for 30 s (F5L: 3 minutes), through its
 *       {@code /admin/faults}.</li>
 * </ul>
 */
final class TargetOutage extends FaultUnderLoad {

    /** Takes the target away or brings it back. */
    private interface Switch {
        void set(PipelineRun run, boolean down) throws Exception;
    }

    private final Duration outage;
    private final String what;
    private final Switch target;

    private TargetOutage(String id, ConsumerProcess architecture, String what, Duration outage, Switch target) {
        super(id, Set.of(architecture), what + " for " + outage.toSeconds() + " s under load");
        this.outage = outage;
        this.what = what;
        this.target = target;
    }

    static TargetOutage database(String id, Duration outage) {
        return new TargetOutage(id, ConsumerProcess.SPARK, "PostgreSQL stopped", outage, (run, down) -> {
            OdsTarget ods = run.target(OdsTarget.class);
            if (down) {
                ods.stopPostgres();
            } else {
                ods.startPostgres();
            }
        });
    }

    static TargetOutage api(String id, Duration outage) {
        return new TargetOutage(id, ConsumerProcess.FLINK, "API answers 503", outage,
                (run, down) -> run.target(ApiTarget.class).faults(down ? 1.0 : 0, 0, 0));
    }

    @Override
    public boolean isLong() {
        return outage.toMinutes() >= 1;
    }

    @Override
    Duration drainTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        context.faultStarted(what + " for " + outage.toSeconds() + " s");
        target.set(run, true);
        context.hold(outage);
        target.set(run, false);
        context.healed("target back");
        if (!run.consumerAlive()) {
            context.note("the consumer exited during the outage (code " + run.consumerExitCode() + ")");
        }
    }
}
