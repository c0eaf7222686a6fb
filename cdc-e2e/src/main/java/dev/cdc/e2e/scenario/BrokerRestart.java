package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.PipelineRun;
import java.time.Duration;

/**
 * F3: the broker stopped under load and started again on the same port and journal 5 s later. The consumer and the
 * generator reconnect by themselves (Qpid JMS failover); what the broker held survives, nothing is lost.
 */
final class BrokerRestart extends FaultUnderLoad {

    private static final Duration DOWN = Duration.ofSeconds(5);

    BrokerRestart() {
        super("F3", ScenarioContext.BOTH, "broker stopped 5 s under load, restarted");
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        context.faultStarted("broker stopped");
        run.stopBroker();
        context.hold(DOWN);
        run.startBroker();
        context.healed("broker started again; clients reconnecting");
    }
}
