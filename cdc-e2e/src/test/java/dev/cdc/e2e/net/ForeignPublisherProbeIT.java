package dev.cdc.e2e.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.e2e.net.ForeignAmqpPublisher.Body;
import dev.cdc.common.event.BrokerMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;
import org.apache.qpid.proton.amqp.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pipeline's consumer makes of messages that a producer other than Qpid JMS published: {@link
 * ForeignAmqpPublisher} (bare Proton-J) publishes to a CDC topic, the project's consumer ({@link AmqpMessageBus#consume})
 * reads the queue subscribed to it. Documents today's behaviour, including the cases that fail.
 *
 * <p>The broker is set up here as cdc-infra's {@code EmbeddedBroker} sets it up (that module depends on this one, so
 * it can't be used here): {@code /}-separated wildcards, AMQP on 127.0.0.1, addresses auto-created, and queue
 * {@code cdc.events} subscribed to {@code cdc/oracle/SALES/>} = bound to {@code cdc/oracle/SALES/* />}, read through
 * its fully qualified name as the pipeline reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignPublisherProbeIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String QUEUE = "cdc.events";
    private static final String BINDING = "cdc/oracle/SALES/*/>";
    private static final String CONSUMER_ADDRESS = BINDING + "::" + QUEUE; // ArtemisSubscriptions.consumerAddress
    private static final String TOPIC = "cdc/oracle/SALES/CUSTOMERS/insert";
    private static final Map<String, String> PROPERTIES = Map.of("cdc_key", "{\"ID\":7}", "cdc_op", "c");
    private static final byte[] JSON = "{\"after\":{\"ID\":7,\"NAME\":\"Zoë\"}}".getBytes(StandardCharsets.UTF_8);

    private EmbeddedActiveMQ broker;
    private int port;
    private AmqpMessageBus bus;

    /**
     * What one message looked like: to plain Qpid JMS (its class, destination, {@code to}, properties, message
     * annotations, or the exception its receive threw), to the broker (the address it holds the message under, the
     * deliveries it counted), and to the project's consumer (the {@link BrokerMessage}, or the exception).
     */
    record Seen(String jmsClass, String jmsDestination, String to, Map<String, Object> jmsProperties,
                Map<String, Object> annotations, Exception jmsFailure, String brokerAddress, int brokerDeliveries,
                BrokerMessage message, Exception failure) {
    }

    @FunctionalInterface
    interface Publish {
        void publish() throws Exception;
    }

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("foreign-publisher-probe");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setBrokerInstance(dataDir.toFile());
        c.setJournalDirectory(dataDir.resolve("journal").toString());
        c.setBindingsDirectory(dataDir.resolve("bindings").toString());
        c.setPagingDirectory(dataDir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(dataDir.resolve("lock").toString());
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setWildCardConfiguration(new WildcardConfiguration().setDelimiter('/').setSingleWord('*').setAnyWords('>'));
        c.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        c.addAddressSetting(">", new AddressSettings().setAutoCreateAddresses(true).setAutoCreateQueues(false)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(c);
        broker.start();
        broker.getActiveMQServer().createQueue(QueueConfiguration.of(QUEUE).setAddress(BINDING)
                .setRoutingType(RoutingType.MULTICAST).setDurable(true).setAutoCreateAddress(true), true);
        bus = AmqpMessageBus.connect(AmqpEndpoint.local(port));
    }

    @AfterAll
    void stop() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @AfterEach
    void queueIsEmpty() throws Exception {
        queue().deleteAllReferences(); // what neither consumer could take
    }

    private Queue queue() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(QUEUE));
    }

    private Seen foreign(String label, Body body, Map<String, String> properties, boolean setTo, String contentType)
            throws Exception {
        return probe(label, () -> {
            try (ForeignAmqpPublisher publisher = new ForeignAmqpPublisher("127.0.0.1", port)) {
                publisher.send(TOPIC, body, properties, setTo, contentType, true);
            }
        });
    }

    /**
     * Publishes one message, consumes it with the project's consumer; publishes it again and takes it with plain
     * Qpid JMS to look at it (or, when the project's consumer failed, takes that same message back).
     */
    private Seen probe(String label, Publish publish) throws Exception {
        publish.publish();
        String brokerAddress = head().getMessage().getAddress();
        BrokerMessage message = null;
        Exception failure = null;
        try (QueueConsumer consumer = bus.consume(CONSUMER_ADDRESS, 10)) {
            ReceivedMessage received = consumer.receive(WAIT);
            assertThat(received).as("received").isNotNull();
            message = received.message();
            consumer.acknowledge(List.of(received));
        } catch (BrokerException e) {
            failure = e;
        }
        if (failure == null) {
            publish.publish();
        }
        int brokerDeliveries = head().getDeliveryCount();
        Seen seen;
        Connection connection = new org.apache.qpid.jms.JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection();
        connection.start(); // plain Qpid JMS, to look at the message as JMS sees it
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer raw = session.createConsumer(session.createQueue(CONSUMER_ADDRESS));
            seen = look(raw.receive(WAIT.toMillis()), brokerAddress, brokerDeliveries, message, failure);
        } catch (JMSException e) {
            seen = new Seen("?", "?", "?", Map.of(), Map.of(), e, brokerAddress, brokerDeliveries, message, failure);
        } finally {
            connection.close();
        }
        System.out.printf("PROBE | %-34s | %-16s | JMSDestination=%s | to=%s | topic=%s | body=%s | failure=%s"
                        + " | Qpid JMS receive failure=%s | broker address=%s, deliveries counted=%d | annotations=%s"
                        + " | JMS properties=%s%n",
                label, seen.jmsClass(), seen.jmsDestination(), seen.to(),
                message == null ? "-" : message.topic(), message == null ? "-" : hex(message.body()),
                failure == null ? "-" : failure.getCause(), seen.jmsFailure() == null ? "-" : seen.jmsFailure(),
                brokerAddress, brokerDeliveries, seen.annotations(), seen.jmsProperties());
        return seen;
    }

    /** The first message the queue holds, once the broker has queued one (it does so after accepting it). */
    private MessageReference head() throws Exception {
        return org.awaitility.Awaitility.await("a message on " + QUEUE).atMost(WAIT)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    try (LinkedListIterator<MessageReference> queued = queue().browserIterator()) {
                        return queued.hasNext() ? queued.next() : null;
                    }
                }, java.util.Objects::nonNull);
    }

    private static Seen look(Message m, String brokerAddress, int brokerDeliveries, BrokerMessage message,
                             Exception failure) throws Exception {
        assertThat(m).as("the message, taken with plain Qpid JMS").isNotNull();
        Map<String, Object> properties = new TreeMap<>();
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            properties.put(name, m.getObjectProperty(name));
        }
        Map<String, Object> annotations = new TreeMap<>();
        AmqpJmsMessageFacade facade = (AmqpJmsMessageFacade) ((JmsMessage) m).getFacade();
        facade.filterTracingAnnotations(annotations::put); // despite its name: each message annotation
        Method toAddress = AmqpJmsMessageFacade.class.getDeclaredMethod("getToAddress");
        toAddress.setAccessible(true);
        return new Seen(m.getClass().getSimpleName(), String.valueOf(m.getJMSDestination()),
                (String) toAddress.invoke(facade), properties, annotations, null, brokerAddress, brokerDeliveries,
                message, failure);
    }

    private static String hex(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return bytes.length + " bytes '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------------------------------------- the cases

    @Test
    void ourOwnPublisherForComparison() throws Exception {
        BrokerMessage sent = new BrokerMessage(TOPIC, PROPERTIES, JSON);
        Seen seen = probe("Qpid JMS (AmqpMessageBus), control", () -> {
            bus.publish(sent);
            bus.flush(WAIT);
        });
        assertThat(seen.message()).isEqualTo(sent);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.annotations()).containsOnlyKeys("x-opt-jms-dest"); // 1 = topic; and the listing works
    }

    @Test
    void dataWithoutToIsNamedByTheConsumersQueueNotByItsTopic() throws Exception {
        Seen seen = foreign("Data, no to", Body.data(JSON), PROPERTIES, false, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message().body()).isEqualTo(JSON);
        assertThat(seen.message().properties()).isEqualTo(PROPERTIES);
        // Qpid JMS gives a message without `to` the consumer's own destination, never null: so the consumer's
        // "no destination, name it by the queue" fallback is never taken, and the topic is the queue's FQQN
        assertThat(seen.to()).isNull();
        assertThat(seen.jmsDestination()).isEqualTo(CONSUMER_ADDRESS);
        assertThat(seen.message().topic()).isEqualTo(CONSUMER_ADDRESS);
        // the broker knows the address the message was sent to (the link's target), but sends it to nobody
        assertThat(seen.brokerAddress()).isEqualTo(TOPIC);
        assertThat(seen.annotations()).isEmpty();
    }

    @Test
    void dataWithTo() throws Exception {
        Seen seen = foreign("Data, to", Body.data(JSON), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message()).isEqualTo(new BrokerMessage(TOPIC, PROPERTIES, JSON));
        assertThat(seen.annotations()).isEmpty();
    }

    @Test
    void stringWithoutTo() throws Exception {
        Seen seen = foreign("AmqpValue string, no to", Body.text(new String(JSON, StandardCharsets.UTF_8)),
                PROPERTIES, false, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsTextMessage");
        assertThat(seen.message()).isEqualTo(new BrokerMessage(CONSUMER_ADDRESS, PROPERTIES, JSON));
    }

    @Test
    void stringWithTo() throws Exception {
        Seen seen = foreign("AmqpValue string, to", Body.text(new String(JSON, StandardCharsets.UTF_8)), PROPERTIES,
                true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsTextMessage");
        assertThat(seen.message()).isEqualTo(new BrokerMessage(TOPIC, PROPERTIES, JSON));
    }

    @Test
    void aBomInDataIsKept() throws Exception {
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, JSON);
        Seen seen = foreign("Data, UTF-8 BOM first", Body.data(bom), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message().body()).isEqualTo(bom);
    }

    @Test
    void aBomInAStringIsKept() throws Exception {
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, JSON);
        Seen seen = foreign("AmqpValue string, BOM first",
                Body.text("\uFEFF" + new String(JSON, StandardCharsets.UTF_8)), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsTextMessage");
        assertThat(seen.message().body()).isEqualTo(bom);
    }

    @Test
    void aMapValueIsReceivedMarkedUnreadableNotThrown() throws Exception {
        // Failing the receive here would give the message back uncounted (the queue's delivery limit would never
        // dead-letter it): it is received, empty and marked, and the admission makes it a dead letter.
        Seen seen = foreign("AmqpValue map", Body.value(Map.of("ID", 7, "NAME", "Zoë")), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsObjectMessage");
        assertThat(seen.failure()).isNull();
        assertThat(seen.message().body()).isEmpty();
        assertThat(seen.message().property(dev.cdc.common.event.MessageProperties.UNREADABLE_BODY))
                .isEqualTo("an AMQP value other than text or binary (a JMS ObjectMessage)");
    }

    @Test
    void aBinaryValueReadsAsItsBytes() throws Exception {
        Seen seen = foreign("AmqpValue binary", Body.value(new Binary(JSON)), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message().body()).isEqualTo(JSON);
    }

    @Test
    void anEmptyDataReadsAsNoBytes() throws Exception {
        Seen seen = foreign("Data, empty", Body.data(new byte[0]), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message().body()).isEmpty();
    }

    @Test
    void noBodyReadsAsNoBytes() throws Exception {
        Seen seen = foreign("no body section", new Body(null), PROPERTIES, true, null);
        assertThat(seen.jmsClass()).isEqualTo("JmsBytesMessage");
        assertThat(seen.message().body()).isEmpty();
    }

    @Test
    void dataTypedAsJsonBecomesTextAndKeepsItsBytes() throws Exception {
        Seen seen = foreign("Data, application/json", Body.data(JSON), PROPERTIES, true, "application/json");
        assertThat(seen.jmsClass()).isEqualTo("JmsTextMessage");
        assertThat(seen.message().body()).isEqualTo(JSON);
    }

    @Test
    void dataTypedAsJsonThatIsNotUtf8FailsQpidJmsItself() throws Exception {
        byte[] latin1 = "{\"NAME\":\"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1);
        Seen seen = foreign("Data, application/json, not UTF-8", Body.data(latin1), PROPERTIES, true,
                "application/json");
        assertThat(seen.message()).isNull();
        assertThat(seen.failure()).isInstanceOf(BrokerException.class).hasMessageContaining("Cannot decode String in UTF-8");
        assertThat(seen.jmsFailure()).hasMessageContaining("Cannot decode String in UTF-8"); // in receive(), a JmsTextMessage
        assertThat(seen.brokerDeliveries()).isEqualTo(1); // this failure counts: the delivery limit dead-letters it
    }
}
