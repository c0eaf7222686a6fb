package dev.cdc.flink.sink;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.dlq.DeadLetterSpill;
import dev.cdc.common.dlq.DlqSettings;
import dev.cdc.flink.job.DeadLetterRecord;
import dev.cdc.flink.job.FlinkSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where a task sends its dead letters: the broker, on a connection opened on first use (most tasks never need it),
 * waiting for its confirmation, so a dead letter is durable before the checkpoint that acknowledges its original
 * completes. When the broker refuses them (the dead-letter queue is full) or does not confirm in time, they are
 * appended to this task's spill file instead and the job goes on: Architecture B has no database to hold them, and
 * {@code ./cdc dlq} lists and drains the spill. Thread-safe.
 */
final class DeadLetterChannel implements AutoCloseable {

    private final DeadLetterPublisher publisher;

    /** @param spill this task's spill file (one per subtask) */
    DeadLetterChannel(Map<String, String> config, DeadLetterSpill spill) {
        var endpoint = BrokerSettings.endpoint(Configuration.empty().with(config));
        this.publisher = new DeadLetterPublisher(() -> AmqpMessageBus.connect(endpoint), Duration.ofSeconds(10),
                spill::append, "the spill file " + spill.file());
    }

    /**
     * The channel of one writer of one subtask, spilling to {@code CONSUMER-ROLE-SUBTASK.jsonl}.
     *
     * @param role which sink writes ("dead-letters", "rest"): two writers of one subtask never share a spill file
     */
    static DeadLetterChannel forSubtask(Map<String, String> config, String role, int subtask) {
        String consumer = config.getOrDefault(FlinkSettings.CONSUMER_ID.key(), FlinkSettings.CONSUMER_ID.defaultValue());
        return new DeadLetterChannel(config, new DeadLetterSpill(spillDir(config),
                consumer.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + role + "-" + subtask));
    }

    /** The spill directory of a job: {@code dlq.spill-dir}, relative to the project directory. */
    static Path spillDir(Map<String, String> config) {
        String dir = config.getOrDefault(DlqSettings.SPILL_DIR.key(), DlqSettings.SPILL_DIR.defaultValue());
        return Path.of(System.getProperty("cdc.home", ".")).resolve(dir).toAbsolutePath().normalize();
    }

    /** @throws IOException only if neither the broker nor the spill file took them (the job restarts and retries) */
    void send(List<DeadLetterRecord> letters) throws IOException {
        publisher.publish(letters.stream().map(DeadLetterRecord::toDeadLetter).toList());
    }

    @Override
    public void close() {
        publisher.close();
    }
}
