package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ApiTarget;
import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.time.Duration;

/**
 * F9: a consumer slower than the load for 20 s, so the queue builds up, then back to speed: the queue drains and the
 * lag comes back to normal. The slowness is bounded by construction, not by how fast this machine happens to be (CI
 * once saw a throttle of 400 events/s keep up with the 300/s published). Architecture B: the REST API answers each
 * write 1 s late ({@code /admin/faults} latency) and the sink sends one request of at most 50 records at a time, so
 * at most 50 records/s while each change fans out to more than one. Architecture A: no delay can be injected into a
 * micro-batch from outside, so the consumer runs throttled to 100 events per 500 ms trigger (at most 200/s) for the
 * whole load, and the drain after it is the recovery. The queue must grow by at least 1,000 messages while the
 * consumer is slow.
 */
final class SlowConsumer extends FaultUnderLoad {

    private static final Duration SLOW = Duration.ofSeconds(20);

    SlowConsumer() {
        super("F9", ScenarioContext.BOTH, "slow consumer: queue builds, then drains");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) {
        return context.architecture() == ConsumerProcess.SPARK
                ? ConsumerOptions.NONE.withSetting("spark.max-events-per-trigger", "100")
                        .withSetting("spark.trigger-interval", "500ms")
                : ConsumerOptions.NONE.withSetting("sink.rest.max-in-flight", "1")
                        .withSetting("sink.rest.batch-size", "50");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        // longer than the usual load: the generator must go on through the whole slow spell for the queue to build
        return ScenarioContext.load(ScenarioContext.RATE, SLOW.plusSeconds(20), "");
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(5);
    }

    @Override
    Duration drainTimeout() {
        return Duration.ofSeconds(240);
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        if (context.architecture() == ConsumerProcess.SPARK) {
            context.faultStarted("Spark throttled to 100 events per 500 ms trigger while 300/s are published");
            context.hold(SLOW);
            context.healed("throttle stays; the drain after the load is the recovery");
            return;
        }
        context.faultStarted("API answering every write 1 s late for " + SLOW.toSeconds() + " s");
        ApiTarget api = run.target(ApiTarget.class);
        api.faults(0, 1_000, 1.0);
        context.hold(SLOW);
        api.faults(0, 0, 0);
        context.healed("API fast again");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) {
        long growth = context.lagGrowthDuringFault();
        return growth >= 1_000 ? null
                : "the queue did not build up while the consumer was slow (lag grew by " + growth + ")";
    }
}
