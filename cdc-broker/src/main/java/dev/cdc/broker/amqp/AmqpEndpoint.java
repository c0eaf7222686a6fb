package dev.cdc.broker.amqp;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach an AMQP 1.0 broker (the embedded Artemis or Solace PubSub+'s AMQP service).
 *
 * @param maxInFlight unconfirmed persistent sends allowed at once; past it, publish waits
 * @param sendTimeout how long a send may wait for credit (a full queue) before failing; zero waits forever
 * @param idleTimeout a connection that hears nothing (not even the heartbeats each side sends at half this) for
 *     this long is taken as dead and the client reconnects: how fast a link cut without a reset (a blackholed
 *     network, a frozen broker) is noticed
 */
public record AmqpEndpoint(String host, int port, String username, String password, int maxInFlight,
                           Duration initialReconnectDelay, Duration maxReconnectDelay, Duration sendTimeout,
                           Duration idleTimeout) {

    /** Qpid JMS waits 60 s by default; a cut link is noticed three times sooner, a busy machine is not taken as dead. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

    public AmqpEndpoint(String host, int port, String username, String password, int maxInFlight,
                        Duration initialReconnectDelay, Duration maxReconnectDelay, Duration sendTimeout) {
        this(host, port, username, password, maxInFlight, initialReconnectDelay, maxReconnectDelay, sendTimeout,
                DEFAULT_IDLE_TIMEOUT);
    }

    public AmqpEndpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker port must be in [1, 65535], was " + port);
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 1_000) {
            throw new IllegalArgumentException("the broker idle timeout must be at least 1s, was " + idleTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in-flight sends must be at least 1, was " + maxInFlight);
        }
    }

    public static AmqpEndpoint local(int port) {
        return new AmqpEndpoint("127.0.0.1", port, null, null, 1000, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ZERO);
    }

    /**
     * Qpid JMS's failover URI: reconnects by itself with exponential backoff, forever once connected, a few
     * times at start-up so a wrong address fails fast.
     */
    String failoverUri() {
        return "failover:(amqp://" + host + ":" + port + "?amqp.idleTimeout=" + idleTimeout.toMillis() + ")"
                + "?failover.initialReconnectDelay=" + initialReconnectDelay.toMillis()
                + "&failover.maxReconnectDelay=" + maxReconnectDelay.toMillis()
                + "&failover.useReconnectBackOff=true"
                + "&failover.maxReconnectAttempts=-1"
                + "&failover.startupMaxReconnectAttempts=3"
                + (sendTimeout.isZero() ? "" : "&jms.sendTimeout=" + sendTimeout.toMillis());
    }

    /** For messages: the address, never the credentials. */
    @Override
    public String toString() {
        return "amqp://" + host + ":" + port + (username == null ? "" : " as " + username);
    }
}
