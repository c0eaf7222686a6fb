package dev.cdc.broker.amqp;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A consumer on its own connection, in individual-acknowledge mode. Internal to the AMQP adapter. */
final class AmqpQueueConsumer implements QueueConsumer {

    /** Qpid JMS's per-message disposition property; 4 = MODIFIED_FAILED, counted by the broker as a failed delivery. */
    private static final String ACK_TYPE = "JMS_AMQP_ACK_TYPE";
    private static final int MODIFIED_FAILED = 4;

    private final String queue;
    private final Connection connection;
    private final MessageConsumer consumer;

    private AmqpQueueConsumer(String queue, Connection connection, MessageConsumer consumer) {
        this.queue = queue;
        this.connection = connection;
        this.consumer = consumer;
    }

    static AmqpQueueConsumer open(AmqpMessageBus bus, String queue, int prefetch) throws BrokerException {
        Connection connection = null;
        try {
            connection = AmqpMessageBus.openConsuming(bus.endpoint(), "consumer of " + queue, prefetch);
            Session session = connection.createSession(false, AmqpMessageBus.INDIVIDUAL_ACKNOWLEDGE);
            return new AmqpQueueConsumer(queue, connection, session.createConsumer(session.createQueue(queue)));
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

    @Override
    public ReceivedMessage receive(Duration timeout) throws BrokerException {
        try {
            Message m = consumer.receive(Math.max(1, timeout.toMillis()));
            if (m == null) {
                return null;
            }
            BrokerMessage message = message(m, queue);
            int deliveries = Math.max(1, m.getIntProperty("JMSXDeliveryCount"));
            long published = m.getJMSTimestamp(); // AMQP creation-time; 0 from a publisher that sets none
            return new ReceivedMessage(message, deliveries, published > 0 ? published : System.currentTimeMillis(), m);
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        }
    }

    /**
     * The message as the pipeline sees it. A body that is neither bytes nor text (an AMQP map, list or other value)
     * can't be an envelope: it comes through empty and marked {@link MessageProperties#UNREADABLE_BODY}, so the
     * admission makes it a dead letter; failing here instead would put it back on the queue forever (the broker
     * counts no delivery for it). Without a {@code to} field Qpid JMS names the consumer's queue as the destination;
     * the admission then rebuilds the topic from the change.
     */
    static BrokerMessage message(Message m, String queue) throws JMSException {
        byte[] body;
        Map<String, String> properties = new LinkedHashMap<>();
        if (m instanceof BytesMessage) {
            body = m.getBody(byte[].class); // a third cheaper than readBytes into a new array (measured)
        } else if (m instanceof TextMessage text) {
            String t = text.getText();
            body = t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
        } else if (!m.isBodyAssignableTo(byte[].class)) {
            body = new byte[0];
            properties.put(MessageProperties.UNREADABLE_BODY, "an AMQP value other than text or binary (a JMS "
                    + jmsKind(m) + ")");
        } else {
            body = m.getBody(byte[].class);
        }
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMS")) { // skip JMSX*/JMS_* before the costly typed lookup
                Object value = m.getObjectProperty(name);
                properties.put(name, value instanceof String text ? text : String.valueOf(value));
            }
        }
        String topic = m.getJMSDestination() == null ? queue : topicName(m.getJMSDestination().toString());
        return new BrokerMessage(topic, properties, body == null ? new byte[0] : body);
    }

    private static String jmsKind(Message m) {
        for (Class<?> kind : new Class<?>[] {jakarta.jms.MapMessage.class, jakarta.jms.ObjectMessage.class,
                jakarta.jms.StreamMessage.class}) {
            if (kind.isInstance(m)) {
                return kind.getSimpleName();
            }
        }
        return m.getClass().getSimpleName();
    }

    /** Qpid names topics {@code topic://name} in toString. */
    private static String topicName(String destination) {
        int scheme = destination.indexOf("://");
        return scheme < 0 ? destination : destination.substring(scheme + 3);
    }

    @Override
    public void acknowledge(Collection<ReceivedMessage> messages) throws BrokerException {
        try {
            for (ReceivedMessage m : messages) {
                ((Message) m.handle()).acknowledge();
            }
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        }
    }

    @Override
    public void reject(ReceivedMessage message) throws BrokerException {
        try {
            Message m = (Message) message.handle();
            m.setIntProperty(ACK_TYPE, MODIFIED_FAILED);
            m.acknowledge();
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        }
    }

    @Override
    public void close() throws BrokerException {
        try {
            connection.close();
        } catch (JMSException e) {
            throw BrokerException.consumeFailed(queue, e);
        }
    }
}
