package dev.cdc.broker.amqp;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.MessageBus;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.QueueLease;
import dev.cdc.broker.QueueSnapshot;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.jms.JmsConnection;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.policy.JmsDefaultPrefetchPolicy;

/**
 * The {@link MessageBus} over AMQP 1.0 with Apache Qpid JMS: the path that talks to Solace PubSub+ and to the
 * embedded Artemis alike (see this module's README for the mapping).
 *
 * <p>Publishing: one connection, persistent {@code BytesMessage}s sent asynchronously with a completion listener,
 * at most {@code maxInFlight} unconfirmed (a semaphore: publish waits, never drops). The row key is the JMS group
 * ({@code JMSXGroupID}), so one row's changes reach one consumer in order. A send lost with the connection (a broker
 * restart, a cut link) is sent again after the client reconnects, so publishing is at least once; a send the broker
 * refused is kept and thrown by the next {@link #publish} or {@link #flush}: an asynchronous failure is never lost
 * in a callback.
 *
 * <p>Consuming: each {@link #consume} opens its own connection in individual-acknowledge mode, so acknowledging
 * one message acknowledges only it, and a consumer's death redelivers only its unacknowledged messages.
 */
public final class AmqpMessageBus implements MessageBus {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AmqpMessageBus.class);

    /** Qpid JMS's individual-acknowledge session mode (its constant is not public). */
    static final int INDIVIDUAL_ACKNOWLEDGE = 101;

    private final AmqpEndpoint endpoint;
    private final JmsConnectionFactory factory;
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final Semaphore inFlight;
    private final AtomicReference<BrokerException> asyncFailure = new AtomicReference<>();
    private final Map<String, jakarta.jms.Topic> topics = new ConcurrentHashMap<>();
    /** Sends the broker failed while the connection went away: sent again by the publishing thread. */
    private final Queue<BrokerMessage> toResend = new ConcurrentLinkedQueue<>();
    private final AtomicLong resent = new AtomicLong();

    /** The outcome of one asynchronous send; knows its message, so a send lost with the connection can go again. */
    private final class Completion implements CompletionListener {

        private final BrokerMessage message;

        Completion(BrokerMessage message) {
            this.message = message;
        }

        @Override
        public void onCompletion(Message sent) {
            inFlight.release();
        }

        @Override
        public void onException(Message sent, Exception exception) {
            if (lostWithConnection(exception) && !closed) {
                toResend.add(message); // at least once: the broker may hold it already, consumers are idempotent
            } else {
                // Qpid JMS reports AMQP amqp:resource-limit-exceeded (a queue at its quota) as ResourceAllocationException
                asyncFailure.compareAndSet(null, exception instanceof jakarta.jms.ResourceAllocationException
                        ? BrokerException.queueFull(message.topic(), exception)
                        : BrokerException.sendFailed(message.topic(), exception));
            }
            inFlight.release();
        }
    }

    private volatile boolean closed;

    private AmqpMessageBus(AmqpEndpoint endpoint) throws BrokerException {
        this.endpoint = endpoint;
        this.factory = newFactory();
        this.inFlight = new Semaphore(endpoint.maxInFlight());
        try {
            this.connection = open("publisher");
            this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            this.producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        } catch (JMSException e) {
            throw BrokerException.unreachable(endpoint.toString(), e);
        }
    }

    public static AmqpMessageBus connect(AmqpEndpoint endpoint) throws BrokerException {
        return new AmqpMessageBus(endpoint);
    }

    /** A connection factory of its own per connection, so per-consumer settings (prefetch) never leak. */
    JmsConnectionFactory newFactory() {
        return newFactory(endpoint);
    }

    static JmsConnectionFactory newFactory(AmqpEndpoint endpoint) {
        return new JmsConnectionFactory(endpoint.username(), endpoint.password(), endpoint.failoverUri());
    }

    /**
     * A connection of its own for one consumer, with its prefetch. The prefetch keeps credit flowing: a receive that
     * finds the buffer empty must not drain the link, a round trip per idle poll that waits up to a minute when the
     * broker has closed the link meanwhile.
     */
    static Connection openConsuming(AmqpEndpoint endpoint, String name, int prefetch) throws JMSException {
        JmsConnectionFactory factory = newFactory(endpoint);
        JmsDefaultPrefetchPolicy policy = new JmsDefaultPrefetchPolicy();
        policy.setAll(Math.max(1, prefetch));
        factory.setPrefetchPolicy(policy);
        factory.setReceiveLocalOnly(true);
        return open(endpoint, factory, name);
    }

    Connection open(String name) throws JMSException {
        return open(endpoint, factory, name);
    }

    static Connection open(AmqpEndpoint endpoint, JmsConnectionFactory from, String name) throws JMSException {
        JmsConnection c = (JmsConnection) from.createConnection();
        c.addConnectionListener(new ReconnectLog(name + "@" + endpoint));
        c.start();
        return c;
    }

    @Override
    public synchronized void publish(BrokerMessage message) throws BrokerException {
        checkUsable();
        resendLost();
        send(message);
    }

    private void send(BrokerMessage message) throws BrokerException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BrokerException.sendFailed(message.topic(), e);
        }
        try {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(message.body());
            for (Map.Entry<String, String> p : message.properties().entrySet()) {
                m.setStringProperty(p.getKey(), p.getValue());
            }
            String key = message.property(MessageProperties.KEY);
            if (key != null) {
                m.setStringProperty("JMSXGroupID", groupOf(message.topic(), key));
            }
            jakarta.jms.Topic topic = topics.computeIfAbsent(message.topic(), this::topic);
            producer.send(topic, m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE,
                    new Completion(message));
        } catch (JMSException | RuntimeException e) {
            inFlight.release();
            throw BrokerException.sendFailed(message.topic(), e);
        }
    }

    /**
     * Sends again what the broker lost with a connection (a broker restart, a cut link): the client reconnects by
     * itself, and a send waits for it.
     */
    private void resendLost() throws BrokerException {
        for (BrokerMessage m = toResend.poll(); m != null; m = toResend.poll()) {
            resent.incrementAndGet();
            send(m);
        }
    }

    /** Messages sent again after a connection loss, since this bus was made. */
    public long resent() {
        return resent.get();
    }

    /** A send that failed because the connection went away, not because the broker refused the message. */
    static boolean lostWithConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            // Qpid JMS fails the sends in flight at an interruption with a plain JMSException "Send failed due to
            // connection loss"; read as a refusal, it ended a publisher that a broker restart should only delay
            if (t instanceof java.io.IOException || name.contains("ConnectionFailed") || name.contains("ConnectionRemotelyClosed")
                    || message.contains("amqp:connection:forced") || message.contains("connection failed")
                    || message.contains("connection loss")
                    // Artemis refuses a send that reaches it while it stops (AMQ229257): the connection goes next
                    || message.contains("idgenerator has been stopped")) {
                return true;
            }
        }
        return false;
    }

    /** The ordering group: the table's topic prefix and the row key, so equal keys of two tables do not share one. */
    static String groupOf(String topic, String key) {
        int opLevel = topic.lastIndexOf('/');
        return (opLevel > 0 ? topic.substring(0, opLevel) : topic) + "|" + key;
    }

    private jakarta.jms.Topic topic(String name) {
        try {
            return session.createTopic(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void flush(Duration timeout) throws BrokerException {
        checkUsable();
        int max = endpoint.maxInFlight();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            do {
                resendLost();
                if (!inFlight.tryAcquire(max, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw BrokerException.timedOut("flush to " + endpoint, timeout, max - inFlight.availablePermits());
                }
                inFlight.release(max);
            } while (!toResend.isEmpty()); // confirmed only once nothing lost with a connection waits to go again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BrokerException.timedOut("flush to " + endpoint, timeout, max - inFlight.availablePermits());
        }
        checkUsable();
    }

    private void checkUsable() throws BrokerException {
        BrokerException failure = asyncFailure.get();
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw BrokerException.closed("message bus " + endpoint);
        }
    }

    @Override
    public QueueConsumer consume(String queue, int prefetch) throws BrokerException {
        checkUsable();
        return AmqpQueueConsumer.open(this, queue, prefetch);
    }

    @Override
    public QueueLease lease(String leaseQueue) throws BrokerException {
        checkUsable();
        return lease(endpoint, leaseQueue);
    }

    /**
     * A lease on a connection of its own, opened (and opened again) by the lease itself: a broker that is down or
     * lacks the lease queue leaves it {@code WAITING}, with a warning now and then. A token is put on the lease queue
     * after a second without one; a held token must come back within 10 s of a reconnect: well inside the 20 s a
     * broker takes to notice a silent connection and give its token to another job.
     */
    public static QueueLease lease(AmqpEndpoint endpoint, String leaseQueue) {
        return AmqpQueueLease.start(endpoint, leaseQueue, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Override
    public QueueSnapshot browse(String queue, int keep) throws BrokerException {
        checkUsable();
        Connection c = null;
        try {
            c = open("browser of " + queue);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            long count = 0;
            long bytes = 0;
            java.util.List<BrokerMessage> first = new java.util.ArrayList<>();
            try (QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                    BrokerMessage m = AmqpQueueConsumer.message((Message) e.nextElement(), queue);
                    count++;
                    bytes += m.body().length;
                    for (Map.Entry<String, String> p : m.properties().entrySet()) {
                        bytes += p.getKey().length() + p.getValue().length();
                    }
                    if (first.size() < keep) {
                        first.add(m);
                    }
                }
            }
            return new QueueSnapshot(queue, count, bytes, first);
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (JMSException e) {
                    LOG.debug("closing the browser of {}: {}", queue, e.getMessage());
                }
            }
        }
    }

    AmqpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws BrokerException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (JMSException e) {
            throw BrokerException.unreachable(endpoint.toString(), e);
        }
    }
}
