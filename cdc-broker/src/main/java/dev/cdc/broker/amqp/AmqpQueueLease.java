package dev.cdc.broker.amqp;

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
import java.util.concurrent.locks.LockSupport;
import org.apache.qpid.jms.JmsConnection;
import org.apache.qpid.jms.JmsConnectionListener;
import org.apache.qpid.jms.message.JmsInboundMessageDispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QueueLease} over AMQP: a consumer on the exclusive lease queue, on its own connection, whose session
 * never acknowledges. One thread does everything: it opens the connection (again, after a failure: a broker that is
 * down, a lease queue not provisioned; warned of every 30 s), receives the token, seeds one, and tells a lost lease.
 * After a reconnect or a consumer the broker closed it opens a new connection rather than trust the client's restored
 * one: a token the broker sent while the client was restoring its consumer could stay delivered to it and never
 * arrive (seen once in QueueLeaseIT's broker restart), and a new connection makes the broker deliver it again. Internal to the
 * AMQP adapter.
 */
final class AmqpQueueLease implements QueueLease, JmsConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpQueueLease.class);
    private static final long POLL_MILLIS = 200;
    private static final long WARN_EVERY_NANOS = 30_000_000_000L;

    private final AmqpEndpoint endpoint;
    private final String queue;
    private final long seedAfterNanos;
    private final long graceNanos;
    private final long startedAt = System.nanoTime();
    private final Thread watcher;
    private volatile Connection connection;
    private Session session;
    private MessageConsumer consumer;
    /** The broker closed the consumer, or the client reconnected: the next round opens a new connection. */
    private volatile boolean reattach;
    private volatile State state = State.WAITING;
    /** When the connection came back while the lease was held; {@code Long.MIN_VALUE}: no token awaited. */
    private volatile long restoredAt = Long.MIN_VALUE;
    private volatile boolean closed;
    private boolean seeded;
    private long warnedAt = Long.MIN_VALUE;

    private AmqpQueueLease(AmqpEndpoint endpoint, String queue, Duration seedAfter, Duration grace) {
        this.endpoint = endpoint;
        this.queue = queue;
        this.seedAfterNanos = seedAfter.toNanos();
        this.graceNanos = grace.toNanos();
        this.watcher = new Thread(this::watch, "lease " + queue);
        watcher.setDaemon(true);
    }

    static AmqpQueueLease start(AmqpEndpoint endpoint, String queue, Duration seedAfter, Duration grace) {
        AmqpQueueLease lease = new AmqpQueueLease(endpoint, queue, seedAfter, grace);
        lease.watcher.start();
        return lease;
    }

    private void watch() {
        while (!closed) {
            try {
                if (consumer == null || reattach) {
                    closeConnection(); // what it held goes back to the queue, and comes to the new consumer
                    attach();
                }
                Message token = consumer.receive(POLL_MILLIS);
                if (token != null) {
                    if (state != State.HELD) {
                        LOG.info("lease {} held: this job consumes", queue);
                    }
                    restoredAt = Long.MIN_VALUE;
                    state = State.HELD;
                } else if (state == State.WAITING && !seeded && System.nanoTime() - startedAt > seedAfterNanos) {
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
                if (warnedAt == Long.MIN_VALUE || System.nanoTime() - warnedAt > WARN_EVERY_NANOS) {
                    warnedAt = System.nanoTime();
                    LOG.warn("lease {}: {}; trying again (does the broker have the queue? ./cdc infra provisions it;"
                            + " on Solace create it, exclusive)", queue, e.getMessage());
                }
                LockSupport.parkNanos(POLL_MILLIS * 1_000_000); // a pause, so a broker that refuses does not spin this
            }
        }
    }

    /** A consumer on the lease queue, on a new connection; a token held before must then come back to it. */
    private void attach() throws JMSException {
        reattach = false;
        Connection c = AmqpMessageBus.openConsuming(endpoint, "lease " + queue, 1);
        try {
            ((JmsConnection) c).addConnectionListener(this);
            session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE); // never acknowledged
            consumer = session.createConsumer(session.createQueue(queue));
        } catch (JMSException | RuntimeException e) {
            session = null;
            consumer = null;
            c.close(); // a new connection next time: the queue may be provisioned by then
            throw e;
        }
        connection = c;
        if (closed) { // closed while this was opening
            closeConnection();
            return;
        }
        if (state == State.HELD) {
            restoredAt = System.nanoTime();
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

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        session = null;
        consumer = null;
        if (c != null) {
            try {
                c.close();
            } catch (JMSException e) {
                LOG.debug("closing the lease's connection: {}", e.getMessage());
            }
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
        reattach = true; // the broker gave the token back when the old connection went
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
    public void onSessionClosed(Session closedSession, Throwable cause) {
    }

    @Override
    public void onConsumerClosed(MessageConsumer closedConsumer, Throwable cause) {
        reattach = true;
    }

    @Override
    public void onProducerClosed(MessageProducer producer, Throwable cause) {
    }

    /** Gives the lease up: the token goes back to the queue, to the next job waiting. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close(); // also ends the watcher's receive
            } catch (JMSException e) {
                LOG.debug("closing the lease's connection: {}", e.getMessage());
            }
        }
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "lease " + queue + " (" + state + ")";
    }
}
