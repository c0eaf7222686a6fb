package dev.cdc.broker.amqp;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueLease;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.time.Duration;
import org.apache.qpid.jms.JmsConnection;
import org.apache.qpid.jms.JmsConnectionListener;
import org.apache.qpid.jms.message.JmsInboundMessageDispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QueueLease} over AMQP: a consumer on the exclusive lease queue, on its own connection, whose session
 * never acknowledges; one thread watches it. Internal to the AMQP adapter.
 */
final class AmqpQueueLease implements QueueLease, JmsConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpQueueLease.class);
    private static final long POLL_MILLIS = 200;

    private final String queue;
    private final long seedAfterNanos;
    private final long graceNanos;
    private final Connection connection;
    private final Session session;
    private volatile MessageConsumer consumer;
    private volatile boolean consumerClosed;
    private final long openedAt = System.nanoTime();
    private final Thread watcher;
    private final AutoCloseable owner;
    private volatile State state = State.WAITING;
    /** When the connection came back while the lease was held; {@code Long.MIN_VALUE}: no token awaited. */
    private volatile long restoredAt = Long.MIN_VALUE;
    private volatile boolean closed;
    private boolean seeded;

    private AmqpQueueLease(String queue, Duration seedAfter, Duration grace, Connection connection, Session session,
                           MessageConsumer consumer, AutoCloseable owner) {
        this.owner = owner;
        this.queue = queue;
        this.seedAfterNanos = seedAfter.toNanos();
        this.graceNanos = grace.toNanos();
        this.connection = connection;
        this.session = session;
        this.consumer = consumer;
        this.watcher = new Thread(this::watch, "lease " + queue);
        watcher.setDaemon(true);
    }

    /** @param owner closed with the lease (a bus opened for it alone), or null */
    static AmqpQueueLease open(AmqpMessageBus bus, String queue, Duration seedAfter, Duration grace, AutoCloseable owner)
            throws BrokerException {
        Connection connection = null;
        try {
            connection = bus.openConsuming("lease " + queue, 1);
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE); // never acknowledged
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            AmqpQueueLease lease = new AmqpQueueLease(queue, seedAfter, grace, connection, session, consumer, owner);
            ((JmsConnection) connection).addConnectionListener(lease);
            lease.watcher.start();
            return lease;
        } catch (JMSException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw BrokerException.consumeFailed(queue, e);
        }
    }

    private void watch() {
        while (!closed) {
            try {
                Message token = consumer.receive(POLL_MILLIS);
                if (token != null) {
                    if (state != State.HELD) {
                        LOG.info("lease {} held: this job consumes", queue);
                    }
                    restoredAt = Long.MIN_VALUE;
                    state = State.HELD;
                } else if (state == State.WAITING && !seeded && System.nanoTime() - openedAt > seedAfterNanos) {
                    seed();
                } else if (state == State.HELD && restoredAt != Long.MIN_VALUE
                        && System.nanoTime() - restoredAt > graceNanos) {
                    state = State.LOST;
                    LOG.warn("lease {} lost: its token did not come back within {} ms of reconnecting (another job"
                            + " holds it); this job stops consuming", queue, graceNanos / 1_000_000);
                }
            } catch (JMSException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("lease {}: {}; trying again", queue, e.getMessage());
                pause();
                if (consumerClosed) {
                    try {
                        reopen();
                    } catch (JMSException reopening) {
                        LOG.warn("lease {}: no new consumer yet: {}", queue, reopening.getMessage());
                    }
                }
            }
        }
    }

    /** Puts one token on the lease queue: only its active consumer can receive it, this one or the holder. */
    private void seed() throws JMSException {
        seeded = true;
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage("lease token"));
        }
        LOG.info("lease {}: no token came; put one there (another job holds it if it does not reach this one)", queue);
    }

    /** After a failure: a pause before the next try, so a broker that refuses does not make this thread spin. */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
    }

    /** The broker closed the consumer (an operator detached it): a new one; a held token must come back to it. */
    private void reopen() throws JMSException {
        consumerClosed = false;
        consumer = session.createConsumer(session.createQueue(queue));
        if (state == State.HELD) {
            restoredAt = System.nanoTime();
        }
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void onConnectionRestored(URI remote) {
        if (state == State.HELD) {
            restoredAt = System.nanoTime(); // the broker gave the token back when the old connection went
        }
    }

    @Override
    public void onConnectionEstablished(URI remote) {
    }

    @Override
    public void onConnectionFailure(Throwable error) {
    }

    @Override
    public void onConnectionInterrupted(URI remote) {
    }

    @Override
    public void onInboundMessage(JmsInboundMessageDispatch envelope) {
    }

    @Override
    public void onSessionClosed(Session session, Throwable cause) {
    }

    @Override
    public void onConsumerClosed(MessageConsumer closedConsumer, Throwable cause) {
        consumerClosed = true;
    }

    @Override
    public void onProducerClosed(MessageProducer producer, Throwable cause) {
    }

    @Override
    public void close() throws BrokerException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close(); // the token goes back to the queue, to the next job waiting
            watcher.join(5_000);
            if (owner != null) {
                owner.close();
            }
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw BrokerException.unreachable("the connection of lease " + queue, e);
        }
    }

    @Override
    public String toString() {
        return "lease " + queue + " (" + state + ")";
    }
}
