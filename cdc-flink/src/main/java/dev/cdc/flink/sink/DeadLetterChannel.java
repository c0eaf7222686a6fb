package dev.cdc.flink.sink;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.config.Configuration;
import dev.cdc.flink.job.DeadLetterRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The broker connection a task sends its dead letters on, opened on first use (most tasks never need it). Sending
 * waits for the broker's confirmation, so a dead letter is durable before the checkpoint that acknowledges its
 * original completes. Thread-safe.
 */
final class DeadLetterChannel implements AutoCloseable {

    private final Map<String, String> config;
    private AmqpMessageBus bus;
    private DeadLetterPublisher publisher;

    DeadLetterChannel(Map<String, String> config) {
        this.config = config;
    }

    synchronized void send(List<DeadLetterRecord> letters) throws BrokerException {
        if (letters.isEmpty()) {
            return;
        }
        if (publisher == null) {
            bus = AmqpMessageBus.connect(BrokerSettings.endpoint(Configuration.empty().with(config)));
            publisher = new DeadLetterPublisher(bus, Duration.ofSeconds(30));
        }
        publisher.publish(letters.stream().map(DeadLetterRecord::toDeadLetter).toList());
    }

    @Override
    public synchronized void close() throws BrokerException {
        if (bus != null) {
            bus.close();
            bus = null;
            publisher = null;
        }
    }
}
