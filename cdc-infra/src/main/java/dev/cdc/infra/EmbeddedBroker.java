package dev.cdc.infra;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.provisioning.QueueProvisioner;
import dev.cdc.broker.provisioning.QueueSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default broker: Apache ActiveMQ Artemis, embedded, configured to behave like Solace PubSub+ for what the
 * pipeline uses: {@code /}-separated topics with {@code *} and {@code >}, durable queues that attract topics by
 * subscription, persistent messages (NIO journal in a data directory, synced), redelivery and a dead-message queue
 * after N failed deliveries, and a quota past which publishers wait. Clients speak AMQP 1.0 on 127.0.0.1.
 */
public final class EmbeddedBroker implements QueueProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedActiveMQ embedded;
    private final String host;
    private final int port;
    private final Path dataDir;

    private EmbeddedBroker(EmbeddedActiveMQ embedded, String host, int port, Path dataDir) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts the broker; its journal lives in {@code dataDir} (messages survive a restart on the same directory).
     *
     * @param globalMaxBytes memory for messages across all addresses, past which publishers wait
     */
    public static EmbeddedBroker start(String host, int port, Path dataDir, long globalMaxBytes) throws Exception {
        // Artemis resolves relative journal paths against the broker instance again: absolute avoids data/x/data/x
        dataDir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("cdc-embedded-broker");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalDatasync(true);
        c.setBrokerInstance(dataDir.toFile());
        c.setJournalDirectory(dataDir.resolve("journal").toString());
        c.setBindingsDirectory(dataDir.resolve("bindings").toString());
        c.setPagingDirectory(dataDir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(dataDir.resolve("lock").toString());
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setGlobalMaxSize(globalMaxBytes);
        c.setWildCardConfiguration(new WildcardConfiguration().setDelimiter('/').setSingleWord('*').setAnyWords('>'));
        c.addAcceptorConfiguration("amqp", "tcp://" + host + ":" + port + "?protocols=AMQP");
        // With '>' as any-words, the catch-all match is ">", not "#". Topics are created on first publish;
        // queues only by provisioning, so a typo in a consumer's queue name fails instead of creating one.
        c.addAddressSetting(">", new AddressSettings()
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(false)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(c);
        long started = System.nanoTime();
        embedded.start();
        LOG.info("embedded broker on amqp://{}:{} (data in {}) started in {} ms", host, port, dataDir,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedBroker(embedded, host, port, dataDir);
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public Path dataDir() {
        return dataDir;
    }

    ActiveMQServer server() {
        return embedded.getActiveMQServer();
    }

    /**
     * Creates the queue, its subscription and its dead-message queue, with the queue's redelivery limit and quota.
     * Idempotent: existing queues and their messages are kept.
     */
    @Override
    public void provision(QueueSpec queue) throws BrokerException {
        if (queue.subscriptions().size() != 1) {
            throw BrokerException.provisioningFailed(queue.name(), new IllegalArgumentException(
                    "the embedded broker takes one subscription per queue, found " + queue.subscriptions()
                            + "; use one wider subscription such as cdc/oracle/SALES/>"));
        }
        String address = ArtemisSubscriptions.address(queue.subscriptions().get(0));
        try {
            ActiveMQServer server = server();
            // Resolved for the queue's own address (DLQ, attempts) and for the topics it matches (quota).
            server.getAddressSettingsRepository().addMatch(address, new AddressSettings()
                    .setAutoCreateAddresses(true)
                    .setAutoCreateQueues(false)
                    .setDeadLetterAddress(SimpleString.of(queue.deadMessageQueue()))
                    .setExpiryAddress(SimpleString.of(queue.deadMessageQueue()))
                    .setMaxDeliveryAttempts(queue.maxDeliveryAttempts())
                    .setRedeliveryDelay(100)
                    .setMaxSizeBytes(queue.quotaBytes())
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK)
                    // a bounded number of ordering groups (row keys hash into them), not one map entry per row
                    .setDefaultGroupBuckets(256));
            // The dead-message queue itself never dead-letters (Artemis would drop the message) and takes expired ones.
            SimpleString dead = SimpleString.of(queue.deadMessageQueue());
            server.getAddressSettingsRepository().addMatch(queue.deadMessageQueue(), new AddressSettings()
                    .setMaxDeliveryAttempts(-1).setDeadLetterAddress(dead).setExpiryAddress(dead)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
            server.createQueue(QueueConfiguration.of(queue.deadMessageQueue()).setAddress(queue.deadMessageQueue())
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true).setAutoCreateAddress(true), true);
            server.createQueue(QueueConfiguration.of(queue.name()).setAddress(address)
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true).setAutoCreateAddress(true), true);
            LOG.info("queue {} subscribes {} (address {}), dead messages to {} after {} attempts, quota {} MB",
                    queue.name(), queue.subscriptions().get(0), address, queue.deadMessageQueue(),
                    queue.maxDeliveryAttempts(), queue.quotaBytes() >> 20);
        } catch (Exception e) {
            throw BrokerException.provisioningFailed(queue.name(), e);
        }
    }

    /** Messages waiting in a queue (for progress and tests). */
    public long depth(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        return q == null ? -1 : q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        embedded.stop();
        LOG.info("embedded broker on amqp://{}:{} stopped", host, port);
    }
}
