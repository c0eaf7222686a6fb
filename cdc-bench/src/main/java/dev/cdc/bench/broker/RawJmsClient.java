package dev.cdc.bench.broker;

import dev.cdc.common.event.MessageProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The baseline: plain Qpid JMS doing by hand what the adapter does per message (the group id, the properties,
 * asynchronous persistent sends within an in-flight window, individual acknowledgement).
 */
final class RawJmsClient implements BrokerClient {

    /** Qpid JMS's individual-acknowledge session mode (its constant is not public). */
    static final int INDIVIDUAL_ACKNOWLEDGE = 101;

    private final JmsConnectionFactory factory;
    private final String consumerAddress;
    private final int inFlight;
    private final BenchMessages messages;
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final Topic topic;

    /** Opens the sending connection: one session, one anonymous persistent producer. */
    RawJmsClient(JmsConnectionFactory factory, String consumerAddress, int inFlight, BenchMessages messages)
            throws JMSException {
        this.factory = factory;
        this.consumerAddress = consumerAddress;
        this.inFlight = inFlight;
        this.messages = messages;
        this.connection = factory.createConnection();
        try {
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            topic = session.createTopic(BrokerBenchmark.TOPIC);
        } catch (JMSException | RuntimeException e) {
            try {
                connection.close();
            } catch (JMSException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The adapter's ordering group for a key (the same as {@code AmqpMessageBus.groupOf}). */
    static String group(String topic, String key) {
        int opLevel = topic.lastIndexOf('/');
        return (opLevel > 0 ? topic.substring(0, opLevel) : topic) + "|" + key;
    }

    @Override
    public Measurement publish(int n) throws Exception {
        Window w = new Window(n);
        long cpu = Cpu.process();
        long senderCpu = Cpu.thread();
        long start = System.nanoTime();
        send(n, w);
        w.await(BrokerClient.deadline(n));
        long nanos = System.nanoTime() - start;
        return new Measurement(n, nanos, nanos, Cpu.since(cpu, Cpu.process()), Cpu.since(senderCpu, Cpu.thread()), 0);
    }

    @Override
    public Measurement publishConsume(int n) throws Exception {
        Connection c = factory.createConnection();
        try {
            c.start();
            Session s = c.createSession(false, INDIVIDUAL_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(consumerAddress));
            long pollMs = POLL.toMillis();
            ConsumerThread reader = new ConsumerThread("raw consumer", n, BrokerClient.deadline(n), () -> {
                Message m = consumer.receive(pollMs);
                if (m == null) {
                    return false;
                }
                m.acknowledge();
                return true;
            });
            Window w = new Window(n);
            long cpu = Cpu.process();
            long senderCpu = Cpu.thread();
            reader.start();
            long start = System.nanoTime();
            send(n, w);
            w.await(BrokerClient.deadline(n));
            long published = System.nanoTime() - start;
            long sent = Cpu.since(senderCpu, Cpu.thread());
            long end = reader.awaitEnd();
            return new Measurement(n, end - start, published, Cpu.since(cpu, Cpu.process()), sent, reader.cpuNanos());
        } finally {
            c.close();
        }
    }

    private void send(int n, Window w) throws JMSException, InterruptedException {
        byte[] body = messages.body();
        for (int i = 0; i < n; i++) {
            long scn = messages.nextScn();
            String key = messages.key(scn);
            w.window.acquire();
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty(MessageProperties.KEY, key);
            m.setStringProperty(MessageProperties.SCN, Long.toString(scn));
            m.setStringProperty("JMSXGroupID", group(BrokerBenchmark.TOPIC, key));
            producer.send(topic, m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, w);
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }

    /** The in-flight window of asynchronous sends, and the wait for the last confirmation. */
    private final class Window implements CompletionListener {
        final Semaphore window = new Semaphore(inFlight);
        final CountDownLatch done;
        final AtomicReference<Exception> failure = new AtomicReference<>();

        Window(int n) {
            done = new CountDownLatch(n);
        }

        @Override
        public void onCompletion(Message message) {
            window.release();
            done.countDown();
        }

        @Override
        public void onException(Message message, Exception exception) {
            failure.compareAndSet(null, exception);
            window.release();
            done.countDown();
        }

        void await(Duration timeout) throws Exception {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("raw sends: " + done.getCount() + " unconfirmed after " + timeout);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a raw send failed", failure.get());
            }
        }
    }
}
