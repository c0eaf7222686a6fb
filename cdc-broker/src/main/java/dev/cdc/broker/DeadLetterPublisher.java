package dev.cdc.broker;

import dev.cdc.common.dlq.DeadLetter;
import java.time.Duration;
import java.util.List;

/**
 * Sends dead letters to their DLQ topics ({@code cdc/dlq/SCHEMA/TABLE}) with the original payload and why they
 * failed, and waits until the broker holds them: a consumer acknowledges the originals only after this returns.
 */
public final class DeadLetterPublisher {

    private final MessageBus bus;
    private final Duration confirmTimeout;

    public DeadLetterPublisher(MessageBus bus, Duration confirmTimeout) {
        this.bus = bus;
        this.confirmTimeout = confirmTimeout;
    }

    public void publish(List<DeadLetter> letters) throws BrokerException {
        if (letters.isEmpty()) {
            return;
        }
        for (DeadLetter letter : letters) {
            bus.publish(letter.toBrokerMessage());
        }
        bus.flush(confirmTimeout);
    }
}
