package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;
import java.util.Set;

/**
 * F4 (Architecture A): PostgreSQL stopped under load for 30 s (F4L: 3 minutes) and started again on its data. The
 * consumer must back off and acknowledge nothing meanwhile, ride out the outage whatever its length (issue 14, path
 * 3) and land everything after.
 */
final class DatabaseOutage extends FaultUnderLoad {

    private final Duration outage;

    private DatabaseOutage(String id, Duration outage) {
        super(id, Set.of(ConsumerProcess.SPARK), "PostgreSQL stopped " + outage.toSeconds() + " s under load");
        this.outage = outage;
    }

    static DatabaseOutage short30s() {
        return new DatabaseOutage("F4", Duration.ofSeconds(30));
    }

    static DatabaseOutage long3min() {
        return new DatabaseOutage("F4L", Duration.ofMinutes(3));
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
        context.faultStarted("PostgreSQL stopped for " + outage.toSeconds() + " s");
        run.stopPostgres();
        context.hold(outage);
        run.startPostgres();
        context.healed("PostgreSQL started again");
        if (!run.consumerAlive()) {
            context.note("the consumer exited during the outage (code " + run.consumerExitCode() + ")");
        }
    }
}
