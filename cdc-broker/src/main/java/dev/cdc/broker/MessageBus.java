package dev.cdc.broker;

import dev.cdc.common.event.BrokerMessage;
import java.time.Duration;

/**
 * The port to the message broker, engine-free: Spark and Flink sources, the generator and the DLQ writer all go
 * through it. Implementations: AMQP 1.0 (Qpid JMS; the embedded Artemis and Solace PubSub+ both serve it).
 *
 * <p>Publishing is persistent and asynchronous with a bounded in-flight window: {@link #publish} returns once the
 * message is handed over (blocking while the window is full: backpressure, never a drop), and a failed send is
 * reported by the next call or by {@link #flush}. Consuming is from a durable queue with explicit acknowledgement of
 * exactly the messages whose effects are durable.
 */
public interface MessageBus extends AutoCloseable {

    /**
     * Publishes one message persistently; its {@link dev.cdc.common.event.MessageProperties#KEY} property is also
     * the ordering key (all changes of one row reach one consumer in order).
     *
     * @throws BrokerException if an earlier asynchronous send failed, or the broker cannot be reached
     */
    void publish(BrokerMessage message) throws BrokerException;

    /** Waits until every published message is confirmed by the broker (or {@code timeout} passes). */
    void flush(Duration timeout) throws BrokerException;

    /** Opens a consumer on a durable queue, receiving at most {@code prefetch} unacknowledged messages ahead. */
    QueueConsumer consume(String queue, int prefetch) throws BrokerException;

    /**
     * Opens the lease of a queue shared by one job's readers ({@link QueueLease#queueFor}); it is opened and waited
     * for in the background: {@link QueueLease#state()} says when it is held.
     */
    QueueLease lease(String leaseQueue) throws BrokerException;

    /**
     * Looks at what a queue holds without taking or acknowledging anything (nothing counts as a delivery).
     *
     * @param keep how many of the first messages to return (all are counted)
     */
    QueueSnapshot browse(String queue, int keep) throws BrokerException;

    @Override
    void close() throws BrokerException;
}
