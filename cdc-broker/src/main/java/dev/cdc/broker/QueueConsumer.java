package dev.cdc.broker;

import java.time.Duration;
import java.util.Collection;

/**
 * A consumer on a durable queue. Messages stay unacknowledged until {@link #acknowledge}; a message not
 * acknowledged when the consumer's connection dies is redelivered (to this or another consumer). Not thread-safe:
 * one thread receives and acknowledges.
 */
public interface QueueConsumer extends AutoCloseable {

    /** The next message, or null when none arrives within {@code timeout}. */
    ReceivedMessage receive(Duration timeout) throws BrokerException;

    /** Acknowledges exactly these messages (per message, not per session). */
    void acknowledge(Collection<ReceivedMessage> messages) throws BrokerException;

    /**
     * Gives a message back as failed: the broker counts the attempt, redelivers it, and after the queue's maximum
     * delivery attempts moves it to the dead-message queue. (A consumer's crash is not counted reliably by every
     * broker; an explicit rejection is.)
     */
    void reject(ReceivedMessage message) throws BrokerException;

    @Override
    void close() throws BrokerException;
}
