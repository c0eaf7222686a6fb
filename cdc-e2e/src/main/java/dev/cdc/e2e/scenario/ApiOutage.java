package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;
import java.util.Set;

/**
 * F5 (Architecture B): the REST API answers every write with 503 for 30 s (F5L: 3 minutes), through its
 * {@code /admin/faults}. A transient fault: nothing may become a dead letter, however long it lasts (issue 14, path
 * 4), and everything is delivered once after; the truth check's dead-letter count says so.
 */
final class ApiOutage extends FaultUnderLoad {

    private final Duration outage;

    private ApiOutage(String id, Duration outage) {
        super(id, Set.of(ConsumerProcess.FLINK), "API answers 503 for " + outage.toSeconds() + " s under load");
        this.outage = outage;
    }

    static ApiOutage short30s() {
        return new ApiOutage("F5", Duration.ofSeconds(30));
    }

    static ApiOutage long3min() {
        return new ApiOutage("F5L", Duration.ofMinutes(3));
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
        context.faultStarted("API answering 503 to every write for " + outage.toSeconds() + " s");
        run.apiFaults(1.0, 0, 0);
        context.hold(outage);
        run.apiFaults(0, 0, 0);
        context.healed("API healed");
    }
}
