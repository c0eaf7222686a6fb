package dev.cdc.e2e.scenario;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * O3: the dead-letter queue ({@code cdc.dead-letters}, its quota cut to 1 MB here) filled past its quota before
 * malformed bodies arrive (generator F6) under load. A full dead-letter queue must not stop the pipeline: the
 * consumer goes on, the operator is told, and the truth holds (issue 14, path 2). The shipped dead-letter queue pages
 * to disk past its quota (when-full: page), so publishers are never held and the quota is the alert: what
 * {@code ./cdc infra} and {@code ./cdc dlq list --broker} print from the broker's usage of the queue. (On a broker
 * that refuses or withholds instead, the consumer keeps the dead letters and logs the alert: DlqAtQuotaIT.) The
 * prefill messages stay on that queue and are not dead letters of this run.
 */
final class DeadLetterQuota extends FaultUnderLoad {

    // small messages: Artemis keeps messages of 100 KB and more as large messages, which the quota barely counts
    private static final int PREFILL_BYTES = 8 * 1024;
    private static final int MAX_PER_TOPIC = 200; // 1.6 MB on each topic: past the 1 MB quota
    /** Dead letters go to cdc/dlq/SCHEMA/TABLE of their original, and the quota holds per published topic. */
    private static final List<String> TOPICS = List.of("cdc/dlq/SALES/ORDERS", "cdc/dlq/SALES/ORDER_ITEMS",
            "cdc/dlq/SALES/CUSTOMERS", "cdc/dlq/SALES/PRODUCTS", "cdc/dlq/SALES/AUDIT_LOG", "cdc/dlq/UNKNOWN/UNKNOWN");

    DeadLetterQuota() {
        super("O3", ScenarioContext.BOTH, "DLQ at its quota, then malformed bodies");
    }

    @Override
    UnaryOperator<String> configEdit(ScenarioContext context) {
        return yaml -> yaml.replaceFirst("(?s)(cdc\\.dead-letters:.*?quota-mb: )64", "$11");
    }

    @Override
    GeneratorConfig load(ScenarioContext context) {
        return ScenarioContext.load("F6");
    }

    @Override
    Duration settle() {
        return Duration.ofSeconds(1); // the malformed bodies come right after the snapshot: fill the queue first
    }

    @Override
    void fault(ScenarioContext context, PipelineRun run) throws Exception {
        // filled by the time the generator's F6 messages (after its snapshot) reach the consumer
        context.faultStarted("filling cdc.dead-letters to its 1 MB quota on every dead-letter topic");
        long sent = 0;
        for (String topic : TOPICS) {
            sent += fill(run, topic);
        }
        dev.cdc.broker.QueueUsage usage = run.usage(run.deadLetterQueue());
        if (usage == null || usage.used() < 1) {
            // the state this scenario is about was not reached: say so rather than pass on a queue below its quota
            context.problem("the prefill did not bring the dead-letter queue to its quota ("
                    + (usage == null ? "no usage" : usage.describe()) + ")");
        }
        context.foreignDeadLetters(sent);
        context.note("prefilled cdc.dead-letters with " + sent + " x 8 KB over " + TOPICS.size() + " topics ("
                + (usage == null ? "?" : usage.describe()) + ")");
        context.healed("dead-letter queue past its quota; pipeline must go on");
    }

    /** Publishes to {@code topic} until the quota withholds credit (a send times out) or past it; returns how many it took. */
    private static int fill(PipelineRun run, String topic) throws BrokerException {
        AmqpEndpoint configured = BrokerSettings.endpoint(run.config());
        AmqpEndpoint endpoint = new AmqpEndpoint(configured.host(), configured.port(), configured.username(),
                configured.password(), 1, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2));
        byte[] body = new byte[PREFILL_BYTES];
        Arrays.fill(body, (byte) 'x');
        int sent = 0;
        try (AmqpMessageBus bus = AmqpMessageBus.connect(endpoint)) {
            while (sent < MAX_PER_TOPIC) {
                bus.publish(new BrokerMessage(topic, Map.of("cdc_prefill", "O3"), body));
                bus.flush(Duration.ofSeconds(2));
                sent++;
            }
        } catch (BrokerException full) {
            // the quota withholds credit: this topic is at its quota (a send that timed out is not counted)
        }
        return sent;
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        dev.cdc.broker.QueueUsage usage = run.usage(run.deadLetterQueue());
        String alert = usage == null ? null : usage.alert();
        if (alert == null) {
            return "no alert about the full dead-letter queue (" + (usage == null ? "no usage" : usage.describe()) + ")";
        }
        context.note(alert);
        return null;
    }
}
