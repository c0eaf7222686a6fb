package dev.cdc.flink.source;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link BrokerSource} reads and how, shipped with the job graph to every reader. {@link AmqpEndpoint} is not
 * serializable, so this holds its fields and each reader builds the endpoint (and its own connection) from them.
 * Checked when built: every problem at once, each naming its setting. The password never appears in
 * {@link #toString()}.
 *
 * @param username null or empty for none
 * @param password null or empty for none; a secret
 * @param queue the address a consumer reads: on Solace the queue name, on the embedded Artemis {@code ADDRESS::QUEUE}
 * @param prefetch messages the broker sends a reader ahead of what it has received
 * @param maxMessagesPerFetch at most this many messages per hand-over to Flink
 * @param pollTimeout how long one fetch waits for a first message; also bounds how late an acknowledgement runs
 * @param maxUnacknowledged received but unacknowledged messages per reader past which it stops receiving until a
 *     checkpoint completes (bounds memory when checkpoints are slow or failing)
 * @param maxUnacknowledgedBytes the same bound on their bodies' bytes (large documents)
 * @param lease the lease queue the job must hold before its readers consume ({@link dev.cdc.broker.QueueLease}), or
 *     null: the readers consume at once
 */
public record BrokerSourceConfig(String host, int port, String username, String password,
                                 Duration initialReconnectDelay, Duration maxReconnectDelay, String queue,
                                 int prefetch, int maxMessagesPerFetch, Duration pollTimeout, int maxUnacknowledged,
                                 long maxUnacknowledgedBytes, String lease)
        implements Serializable {

    public static final int DEFAULT_PREFETCH = 1_000;

    public BrokerSourceConfig {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank()) {
            problems.add("broker.host: required");
        }
        if (port < 1 || port > 65535) {
            problems.add("broker.port: expected an integer in [1, 65535], was " + port);
        }
        if (initialReconnectDelay == null || initialReconnectDelay.isNegative()) {
            problems.add("broker.reconnect.initial-delay: expected a duration >= 0, was " + initialReconnectDelay);
        }
        if (maxReconnectDelay == null || maxReconnectDelay.isNegative()
                || initialReconnectDelay != null && maxReconnectDelay.compareTo(initialReconnectDelay) < 0) {
            problems.add("broker.reconnect.max-delay: expected a duration >= the initial delay ("
                    + initialReconnectDelay + "), was " + maxReconnectDelay);
        }
        if (queue == null || queue.isBlank()) {
            problems.add("queue: required (on Solace the queue name, on the embedded broker ADDRESS::QUEUE)");
        }
        if (prefetch < 1) {
            problems.add("prefetch: expected at least 1, was " + prefetch);
        }
        if (maxMessagesPerFetch < 1) {
            problems.add(BrokerSourceSettings.MAX_MESSAGES_PER_FETCH.key() + ": expected at least 1, was "
                    + maxMessagesPerFetch);
        }
        if (pollTimeout == null || pollTimeout.toMillis() < 1 || pollTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            problems.add(BrokerSourceSettings.POLL_TIMEOUT.key() + ": expected a duration in [1ms, 10s], was "
                    + pollTimeout);
        }
        if (maxUnacknowledged < maxMessagesPerFetch) {
            problems.add(BrokerSourceSettings.MAX_UNACKNOWLEDGED.key() + ": expected at least max-messages-per-fetch ("
                    + maxMessagesPerFetch + "), was " + maxUnacknowledged);
        }
        if (maxUnacknowledgedBytes < 1) {
            problems.add(BrokerSourceSettings.MAX_UNACKNOWLEDGED_BYTES.key() + ": expected at least 1 byte, was "
                    + maxUnacknowledgedBytes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid broker source configuration: " + String.join("; ", problems));
        }
        username = username == null || username.isEmpty() ? null : username;
        password = password == null || password.isEmpty() ? null : password;
    }

    /** A source on {@code queue} through {@code endpoint}, with the default tuning. */
    public static BrokerSourceConfig of(AmqpEndpoint endpoint, String queue) {
        return new BrokerSourceConfig(endpoint.host(), endpoint.port(), endpoint.username(), endpoint.password(),
                endpoint.initialReconnectDelay(), endpoint.maxReconnectDelay(), queue, DEFAULT_PREFETCH,
                defaultOf(BrokerSourceSettings.MAX_MESSAGES_PER_FETCH),
                Setting.parseDuration(BrokerSourceSettings.POLL_TIMEOUT.defaultValue()),
                defaultOf(BrokerSourceSettings.MAX_UNACKNOWLEDGED),
                BrokerSourceSettings.maxUnacknowledgedBytes(0, Runtime.getRuntime().maxMemory()), null);
    }

    /**
     * A source on {@code queue} from the configuration: the endpoint from the {@code broker} section
     * ({@link BrokerSettings}), the tuning from {@link BrokerSourceSettings}; the prefetch is the default until
     * {@link #withPrefetch} says otherwise.
     *
     * @throws dev.cdc.common.config.ConfigException naming the key of a value that does not parse
     */
    public static BrokerSourceConfig from(Configuration config, String queue) {
        AmqpEndpoint endpoint = BrokerSettings.endpoint(config);
        return new BrokerSourceConfig(endpoint.host(), endpoint.port(), endpoint.username(), endpoint.password(),
                endpoint.initialReconnectDelay(), endpoint.maxReconnectDelay(), queue, DEFAULT_PREFETCH,
                config.get(BrokerSourceSettings.MAX_MESSAGES_PER_FETCH), config.get(BrokerSourceSettings.POLL_TIMEOUT),
                config.get(BrokerSourceSettings.MAX_UNACKNOWLEDGED),
                BrokerSourceSettings.maxUnacknowledgedBytes(config.get(BrokerSourceSettings.MAX_UNACKNOWLEDGED_BYTES),
                        Runtime.getRuntime().maxMemory()), BrokerSettings.lease(config, queue).orElse(null));
    }

    public BrokerSourceConfig withPrefetch(int messages) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                messages, maxMessagesPerFetch, pollTimeout, maxUnacknowledged, maxUnacknowledgedBytes, lease);
    }

    public BrokerSourceConfig withMaxMessagesPerFetch(int messages) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                prefetch, messages, pollTimeout, maxUnacknowledged, maxUnacknowledgedBytes, lease);
    }

    public BrokerSourceConfig withPollTimeout(Duration timeout) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                prefetch, maxMessagesPerFetch, timeout, maxUnacknowledged, maxUnacknowledgedBytes, lease);
    }

    public BrokerSourceConfig withMaxUnacknowledged(int messages) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                prefetch, maxMessagesPerFetch, pollTimeout, messages, maxUnacknowledgedBytes, lease);
    }

    public BrokerSourceConfig withMaxUnacknowledgedBytes(long bytes) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                prefetch, maxMessagesPerFetch, pollTimeout, maxUnacknowledged, bytes, lease);
    }

    /** The same source with its readers waiting for the job to hold {@code leaseQueue} (null: none). */
    public BrokerSourceConfig withLease(String leaseQueue) {
        return new BrokerSourceConfig(host, port, username, password, initialReconnectDelay, maxReconnectDelay, queue,
                prefetch, maxMessagesPerFetch, pollTimeout, maxUnacknowledged, maxUnacknowledgedBytes, leaseQueue);
    }

    /** The endpoint a reader connects to (the source only consumes: one send in flight is plenty). */
    public AmqpEndpoint endpoint() {
        return new AmqpEndpoint(host, port, username, password, 1, initialReconnectDelay, maxReconnectDelay,
                Duration.ZERO);
    }

    private static int defaultOf(Setting<Integer> setting) {
        return setting.parser().apply(setting.defaultValue());
    }

    /** For logs and the job graph: the address and tuning, never the password. */
    @Override
    public String toString() {
        return "broker source on amqp://" + host + ":" + port + (username == null ? "" : " as " + username)
                + " queue " + queue + " (prefetch " + prefetch + ", max " + maxMessagesPerFetch + " per fetch, poll "
                + pollTimeout.toMillis() + " ms, max " + maxUnacknowledged + " unacknowledged, max " + maxUnacknowledgedBytes
                + " bytes of them" + (lease == null ? "" : ", while the job holds lease " + lease) + ")";
    }
}
