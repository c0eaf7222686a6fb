package dev.cdc.broker;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The broker's settings (section {@code broker} and {@code queues} of the configuration), declared once. */
public final class BrokerSettings {

    public static final Setting<String> HOST = Setting.string("broker.host", "127.0.0.1",
            "broker host ($SOLACE_HOST); the embedded broker binds it");
    public static final Setting<Integer> PORT = Setting.integer("broker.port", 5672, 1, 65535,
            "AMQP 1.0 port ($SOLACE_PORT; Solace serves AMQP on 5672 by default)");
    public static final Setting<String> VPN = Setting.string("broker.vpn", "default",
            "Solace message VPN ($SOLACE_VPN); AMQP connects to the VPN the port belongs to");
    public static final Setting<String> USERNAME = Setting.string("broker.username", "",
            "client username ($SOLACE_USERNAME); empty for none");
    public static final Setting<String> PASSWORD = Setting.secret("broker.password", "client password ($SOLACE_PASSWORD)");
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("broker.max-in-flight", 1000, 1, 100_000,
            "unconfirmed persistent sends at once; past it, publishers wait");
    public static final Setting<Duration> RECONNECT_INITIAL = Setting.duration("broker.reconnect.initial-delay", "100ms",
            "first wait before reconnecting");
    public static final Setting<Duration> RECONNECT_MAX = Setting.duration("broker.reconnect.max-delay", "5s",
            "longest wait between reconnect attempts (exponential backoff up to it)");

    /** Per queue, under {@code queues.<name>.}. */
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("broker.idle-timeout", "20s",
            "a connection that hears nothing for this long (heartbeats go at half of it) is dead and reconnects:"
                    + " how fast a cut link without a reset is noticed");

    public static Setting<List<String>> subscriptions(String queue) {
        return Setting.list("queues." + queue + ".subscriptions", null,
                "topic subscriptions of queue " + queue + " (a list, or one subscription)");
    }

    public static Setting<Integer> maxDeliveryAttempts(String queue) {
        return Setting.integer("queues." + queue + ".max-delivery-attempts", 5, 1, 1000,
                "deliveries before a message of " + queue + " goes to its dead-message queue");
    }

    public static Setting<String> deadMessageQueue(String queue) {
        return Setting.string("queues." + queue + ".dead-message-queue", "cdc.dead", "dead-message queue of " + queue);
    }

    public static Setting<Integer> quotaMb(String queue) {
        return Setting.integer("queues." + queue + ".quota-mb", 512, 1, 1_000_000, "spool quota of " + queue + " in MB");
    }

    public static Setting<QueueSpec.WhenFull> whenFull(String queue) {
        return Setting.choice("queues." + queue + ".when-full", QueueSpec.WhenFull.class, QueueSpec.WhenFull.WAIT,
                "what a publisher to " + queue + " meets at its quota: wait (backpressure) or page (the embedded"
                        + " broker keeps taking messages, on disk; the quota becomes an alert)");
    }

    public static Setting<QueueSpec.Access> access(String queue) {
        return Setting.choice("queues." + queue + ".access", QueueSpec.Access.class, QueueSpec.Access.NON_EXCLUSIVE,
                "who receives from " + queue + ": non-exclusive (consumers compete), exclusive (one consumer, the"
                        + " others hot standbys: Solace's access type) or leased (the readers of the job holding the"
                        + " queue's lease " + queue + ".lease compete, other jobs are hot standbys)");
    }

    private BrokerSettings() {
    }

    public static List<Setting<?>> all(Configuration config) {
        List<Setting<?>> all = new ArrayList<>(List.of(HOST, PORT, VPN, USERNAME, PASSWORD, MAX_IN_FLIGHT, IDLE_TIMEOUT,
                RECONNECT_INITIAL, RECONNECT_MAX));
        for (String queue : queueNames(config)) {
            all.addAll(List.of(subscriptions(queue), maxDeliveryAttempts(queue), deadMessageQueue(queue), quotaMb(queue),
                    whenFull(queue), access(queue)));
        }
        return all;
    }

    /** Queue names may contain dots, so they are found by the settings they carry. */
    static java.util.Set<String> queueNames(Configuration config) {
        return config.children("queues", java.util.Set.of("subscriptions", "max-delivery-attempts", "dead-message-queue", "quota-mb",
                "when-full", "access"));
    }

    public static AmqpEndpoint endpoint(Configuration config) {
        String user = config.get(USERNAME);
        String password = config.get(PASSWORD);
        return new AmqpEndpoint(config.get(HOST), config.get(PORT), user.isEmpty() ? null : user,
                password.isEmpty() ? null : password, config.get(MAX_IN_FLIGHT), config.get(RECONNECT_INITIAL),
                config.get(RECONNECT_MAX), Duration.ZERO, config.get(IDLE_TIMEOUT));
    }

    /**
     * The lease a consumer of {@code queueAddress} (a queue name, or Artemis's ADDRESS::QUEUE) must hold before it
     * consumes: the queue's {@code .lease} when {@code queues.<name>.access} is {@code leased}, else none.
     */
    public static java.util.Optional<String> lease(Configuration config, String queueAddress) {
        String name = QueueLease.queueName(queueAddress);
        return queueNames(config).contains(name) && config.get(access(name)) == QueueSpec.Access.LEASED
                ? java.util.Optional.of(QueueLease.queueFor(queueAddress)) : java.util.Optional.empty();
    }

    /** The configured queues; each problem names its key. */
    public static List<QueueSpec> queues(Configuration config) {
        List<QueueSpec> queues = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : queueNames(config)) {
            try {
                queues.add(new QueueSpec(name, config.get(subscriptions(name)).stream().map(TopicSubscription::parse).toList(),
                        config.get(maxDeliveryAttempts(name)), config.get(deadMessageQueue(name)),
                        (long) config.get(quotaMb(name)) << 20, config.get(whenFull(name)), config.get(access(name))));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (IllegalArgumentException e) {
                problems.add("queues." + name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return queues;
    }
}
