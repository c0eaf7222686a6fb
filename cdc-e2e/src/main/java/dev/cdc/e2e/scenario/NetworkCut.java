package dev.cdc.e2e.scenario;

import dev.cdc.e2e.net.TcpProxy;
import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.broker.BrokerSettings;
import java.time.Duration;

/**
 * F7: the consumer reaches the broker through a {@link TcpProxy} (the generator does not); under load the proxy
 * drops every link (both sides closed), and later blackholes them for twice the consumer's idle timeout (no data, no
 * RST: only the AMQP idle timeout can tell), then heals. The consumer must reconnect by itself; nothing lost. The
 * consumer's idle timeout is 10 s here (20 s shipped) so the blackhole lasts 20 s, not 40.
 */
final class NetworkCut extends FaultUnderLoad {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BLACKHOLE = IDLE_TIMEOUT.multipliedBy(2);
    private TcpProxy proxy;

    NetworkCut() {
        super("F7", ScenarioContext.BOTH, "proxy to broker: link dropped, then blackholed 20 s (idle timeout 10 s)");
    }

    @Override
    ConsumerOptions consumerOptions(ScenarioContext context) throws Exception {
        // the broker port is in the configuration written before the start; the proxy forwards to it
        int brokerPort = dev.cdc.common.config.Configuration.load(context.dir().resolve("cdc.yaml"), java.util.Map.of())
                .get(BrokerSettings.PORT);
        proxy = TcpProxy.start(brokerPort);
        return ConsumerOptions.NONE.withSetting("broker.port", Integer.toString(proxy.port()))
                .withSetting(BrokerSettings.IDLE_TIMEOUT.key(), IDLE_TIMEOUT.toSeconds() + "s");
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(6);
    }

    @Override
    Duration drainTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        try {
            context.faultStarted("dropping " + proxy.links() + " consumer-broker links");
            proxy.drop();
            context.hold(Duration.ofSeconds(5));
            context.phase("blackholing the consumer-broker links for " + BLACKHOLE.toSeconds() + " s");
            proxy.blackhole();
            context.hold(BLACKHOLE);
            proxy.heal();
            context.healed("links healed");
        } catch (Exception e) {
            proxy.close();
            throw e;
        }
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) {
        proxy.close();
        return null;
    }
}
