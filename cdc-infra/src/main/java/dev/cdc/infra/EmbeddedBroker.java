package dev.cdc.infra;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueLease;
import dev.cdc.broker.QueueUsage;
import dev.cdc.broker.provisioning.QueueProvisioner;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default broker: Apache ActiveMQ Artemis, embedded, configured to behave like Solace PubSub+ for what the
 * pipeline uses: {@code /}-separated topics with {@code *} and {@code >}, durable queues that attract topics by
 * subscription, persistent messages (NIO journal in a data directory, synced), redelivery and a dead-message queue
 * after N failed deliveries, and a quota past which publishers wait (or, for the dead letters, past which messages
 * are paged to disk and the quota is an alert: see {@link #usage}). Clients speak AMQP 1.0 on 127.0.0.1.
 */
public final class EmbeddedBroker implements QueueProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedActiveMQ embedded;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final Redeliveries redeliveries;
    private final java.util.Map<String, Long> quotas = new java.util.concurrent.ConcurrentHashMap<>();

    private EmbeddedBroker(EmbeddedActiveMQ embedded, String host, int port, Path dataDir, Redeliveries redeliveries) {
        this.embedded = embedded;
        this.redeliveries = redeliveries;
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
        // Artemis's acceptor may share a port another listener holds (the kernel then splits the clients between
        // them) or log that it could not bind and run on without it: a taken port is an error here
        requireFree(host, port);
        Redeliveries redeliveries = new Redeliveries();
        c.registerBrokerPlugin(redeliveries);
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(c);
        long started = System.nanoTime();
        embedded.start();
        var acceptor = embedded.getActiveMQServer().getRemotingService().getAcceptor("amqp");
        if (acceptor == null || !acceptor.isStarted()) {
            embedded.stop();
            throw portTaken(host, port, null);
        }
        LOG.info("embedded broker on amqp://{}:{} (data in {}) started in {} ms", host, port, dataDir,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedBroker(embedded, host, port, dataDir, redeliveries);
    }

    private static void requireFree(String host, int port) throws java.io.IOException {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw portTaken(host, port, e);
        }
    }

    private static PortTakenException portTaken(String host, int port, Exception cause) {
        return new PortTakenException("the broker", host, port, "SOLACE_PORT or broker.port", cause);
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
     * Creates the queue, its subscriptions and its dead-message queue, with the queue's redelivery limit and quota.
     * Idempotent: existing queues and their messages are kept; changed subscriptions are applied to the queue when
     * they still share its address.
     */
    @Override
    public void provision(QueueSpec queue) throws BrokerException {
        try {
            String binding = ArtemisSubscriptions.bindingAddress(queue);
            String filter = ArtemisSubscriptions.filter(queue);
            ActiveMQServer server = server();
            AddressSettings settings = new AddressSettings()
                    .setAutoCreateAddresses(true)
                    .setAutoCreateQueues(false)
                    .setDeadLetterAddress(SimpleString.of(queue.deadMessageQueue()))
                    .setExpiryAddress(SimpleString.of(queue.deadMessageQueue()))
                    .setMaxDeliveryAttempts(queue.maxDeliveryAttempts())
                    .setRedeliveryDelay(100)
                    .setMaxSizeBytes(queue.quotaBytes())
                    // BLOCK withholds credit from publishers of a full topic; PAGE keeps taking messages, on disk.
                    // (FAIL, measured on 2.55 with a queue on a wildcard address, does not refuse AMQP sends: the
                    // check runs against the queue's address, whose size stays under the quota.)
                    .setAddressFullMessagePolicy(queue.whenFull() == QueueSpec.WhenFull.PAGE
                            ? AddressFullMessagePolicy.PAGE : AddressFullMessagePolicy.BLOCK)
                    // a bounded number of ordering groups (row keys hash into them), not one map entry per row
                    .setDefaultGroupBuckets(256);
            // Resolved for the queue's own address (DLQ, attempts) and for the topics it matches (the quota is held
            // per published topic: that is where Artemis withholds credit from publishers).
            server.getAddressSettingsRepository().addMatch(binding, settings);
            for (TopicSubscription s : queue.subscriptions()) {
                server.getAddressSettingsRepository().addMatch(ArtemisSubscriptions.address(s), settings);
            }
            // The dead-message queue itself never dead-letters (Artemis would drop the message) and takes expired ones.
            // The broker moves messages there itself, with nobody to wait or be told: past the global limit they
            // page to disk (PAGE), never refused or dropped; ./cdc dlq drain empties it.
            SimpleString dead = SimpleString.of(queue.deadMessageQueue());
            server.getAddressSettingsRepository().addMatch(queue.deadMessageQueue(), new AddressSettings()
                    .setMaxDeliveryAttempts(-1).setDeadLetterAddress(dead).setExpiryAddress(dead)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
            server.createQueue(QueueConfiguration.of(queue.deadMessageQueue()).setAddress(queue.deadMessageQueue())
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true).setAutoCreateAddress(true), true);
            boolean exclusive = queue.access() == QueueSpec.Access.EXCLUSIVE;
            QueueConfiguration config = QueueConfiguration.of(queue.name()).setAddress(binding).setFilterString(filter)
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true).setAutoCreateAddress(true)
                    .setExclusive(exclusive);
            Queue existing = server.locateQueue(queue.name());
            if (existing == null) {
                server.createQueue(config, true);
            } else if (!existing.getAddress().toString().equals(binding)) {
                throw new IllegalStateException("queue " + queue.name() + " exists on address " + existing.getAddress()
                        + ", its new subscriptions " + queue.subscriptions() + " need " + binding
                        + "; drain it and remove it (./cdc stop --clean) or use a new queue name");
            } else if (!Objects.equals(filterString(existing), filter) || existing.isExclusive() != exclusive) {
                server.updateQueue(existing.getQueueConfiguration().setFilterString(filter).setExclusive(exclusive), true);
            }
            if (queue.access() == QueueSpec.Access.LEASED) {
                provisionLease(QueueLease.queueFor(queue.name()));
            }
            quotas.put(queue.name(), queue.quotaBytes());
            LOG.info("queue {} subscribes {} (address {}{}), dead messages to {} after {} attempts, quota {} MB ({})",
                    queue.name(), queue.subscriptions(), binding, exclusive ? ", exclusive" : queue.access() == QueueSpec.Access.LEASED ? ", leased" : "",
                    queue.deadMessageQueue(),
                    queue.maxDeliveryAttempts(), queue.quotaBytes() >> 20,
                    queue.whenFull() == QueueSpec.WhenFull.PAGE ? "paged to disk past it" : "publishers wait past it");
        } catch (Exception e) {
            throw BrokerException.provisioningFailed(queue.name(), e);
        }
    }

    /**
     * A lease's queue: exclusive, so only its active consumer receives the token, and redelivered without limit or
     * delay, so the token passes from job to job as often as they come and go (see {@link QueueLease}).
     */
    private void provisionLease(String lease) throws Exception {
        ActiveMQServer server = server();
        server.getAddressSettingsRepository().addMatch(lease, new AddressSettings()
                .setMaxDeliveryAttempts(-1).setRedeliveryDelay(0).setAutoCreateQueues(false)
                // never used (no limit, no expiry); named so the broker does not warn of their absence
                .setDeadLetterAddress(SimpleString.of(lease)).setExpiryAddress(SimpleString.of(lease)));
        if (server.locateQueue(lease) == null) {
            server.createQueue(QueueConfiguration.of(lease).setAddress(lease).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true).setAutoCreateAddress(true).setExclusive(true), true);
        }
    }

    private static String filterString(Queue queue) {
        return queue.getFilter() == null ? null : queue.getFilter().getFilterString().toString();
    }

    /** Messages waiting in a queue (for progress and tests). */
    public long depth(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        return q == null ? -1 : q.getMessageCount();
    }

    /**
     * A queue's figures as the broker counts them since it started, or null for a queue it does not have.
     *
     * @param enqueued messages added; {@code acknowledged} taken off by a consumer's acknowledgement;
     *     {@code dead} moved to the dead-message queue after their delivery attempts (or expired);
     *     {@code redelivered} deliveries of messages delivered before (a rejected message, a crashed consumer's)
     */
    public record QueueFigures(long messages, long bytes, int consumers, int delivering, long enqueued, long acknowledged,
                               long dead, long redelivered) {
    }

    public QueueFigures figures(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        return q == null ? null : new QueueFigures(q.getMessageCount(), q.getPersistentSize(), q.getConsumerCount(),
                q.getDeliveringCount(), q.getMessagesAdded(), q.getMessagesAcknowledged(),
                q.getMessagesKilled() + q.getMessagesExpired(), redeliveries.of(queueName));
    }

    /** The quota a queue was provisioned with (0: none). */
    public long quota(String queueName) {
        return quotas.getOrDefault(queueName, 0L);
    }

    /** Consumers attached to a queue (for tests: competing consumers must all be there before messages come). */
    public int consumers(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        return q == null ? -1 : q.getConsumerCount();
    }

    /**
     * Detaches every consumer of a queue, as the broker does when an operator shuts a queue's egress (Solace) or
     * closes its consumers (Artemis console): the clients see their link closed while their connection lives on.
     *
     * @return how many consumers were detached
     */
    public int detachConsumers(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        int detached = 0;
        for (var consumer : q == null ? java.util.List.<org.apache.activemq.artemis.core.server.Consumer>of()
                : q.getConsumers()) {
            if (consumer instanceof ServerConsumer c) {
                c.disconnect();
                detached++;
            }
        }
        LOG.info("detached {} consumer(s) of queue {}", detached, queueName);
        return detached;
    }

    /**
     * How full a provisioned queue is against its quota (messages and their bytes as the broker holds them), or
     * null for a queue this broker does not have. A queue not provisioned here (the dead-message queue) has no quota.
     */
    public QueueUsage usage(String queueName) {
        var q = server().locateQueue(SimpleString.of(queueName));
        if (q == null) {
            return null;
        }
        return new QueueUsage(queueName, q.getMessageCount(), q.getPersistentSize(), quotas.getOrDefault(queueName, 0L));
    }

    @Override
    public void close() throws Exception {
        embedded.stop();
        LOG.info("embedded broker on amqp://{}:{} stopped", host, port);
    }
}
