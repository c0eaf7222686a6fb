package dev.cdc.e2e.scenario;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * O3: the dead-letter queue ({@code cdc.dead-letters}, its quota cut to 1 MB here) filled to its quota before
 * malformed bodies arrive (generator F6) under load. A full dead-letter queue must not stop the pipeline: the
 * consumer goes on, the operator is told (an alert in the consumer's log naming the full dead-letter queue), and
 * the truth holds (issue 14, path 2). The prefill messages stay on that queue and are not dead letters of this run.
 */
final class DeadLetterQuota extends FaultUnderLoad {

    private static final Pattern ALERT = Pattern.compile(
            "(?i)(dead.?letter|dlq)[^\\n]*(full|quota)|(full|quota)[^\\n]*(dead.?letter|dlq)");
    private static final int PREFILL_BYTES = 100 * 1024;

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
        context.faultStarted("filling cdc.dead-letters to its 1 MB quota");
        AmqpEndpoint configured = BrokerSettings.endpoint(run.config());
        AmqpEndpoint endpoint = new AmqpEndpoint(configured.host(), configured.port(), configured.username(),
                configured.password(), 1, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3));
        int sent = 0;
        try (AmqpMessageBus bus = AmqpMessageBus.connect(endpoint)) {
            byte[] body = new byte[PREFILL_BYTES];
            java.util.Arrays.fill(body, (byte) 'x');
            while (sent < 40) { // 4 MB at most: the quota blocks well before
                bus.publish(new BrokerMessage("cdc/dlq/SALES/PREFILL", Map.of("cdc_prefill", "O3"), body));
                bus.flush(Duration.ofSeconds(3));
                sent++;
            }
        } catch (BrokerException full) {
            // the quota withholds credit: the queue is full
        }
        context.foreignDeadLetters(sent);
        context.note("prefilled cdc.dead-letters with " + sent + " x 100 KB (depth "
                + run.depth(run.deadLetterQueue()) + ")");
        context.healed("dead-letter queue full; pipeline must go on");
    }

    @Override
    String check(ScenarioContext context, PipelineRun run) throws Exception {
        String log = Files.exists(run.log()) ? Files.readString(run.log()) : "";
        return ALERT.matcher(log).find() ? null
                : "no alert about the full dead-letter queue in " + run.log();
    }
}
