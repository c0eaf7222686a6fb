package dev.cdc.broker.amqp;

import java.net.URI;
import org.apache.qpid.jms.JmsConnectionListener;
import org.apache.qpid.jms.message.JmsInboundMessageDispatch;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every interruption and restoration of a broker connection, so a reconnect is never silent. */
final class ReconnectLog implements JmsConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectLog.class);

    private final String name;
    private volatile long interruptedAt;

    ReconnectLog(String name) {
        this.name = name;
    }

    @Override
    public void onConnectionEstablished(URI remote) {
        LOG.info("{}: connected to {}", name, remote);
    }

    @Override
    public void onConnectionFailure(Throwable error) {
        LOG.error("{}: connection failed for good: {}", name, error.getMessage());
    }

    @Override
    public void onConnectionInterrupted(URI remote) {
        interruptedAt = System.nanoTime();
        LOG.warn("{}: connection to {} interrupted; reconnecting with backoff", name, remote);
    }

    @Override
    public void onConnectionRestored(URI remote) {
        LOG.warn("{}: reconnected to {} after {} ms", name, remote, (System.nanoTime() - interruptedAt) / 1_000_000);
    }

    @Override
    public void onInboundMessage(JmsInboundMessageDispatch envelope) {
        // not a connection event
    }

    @Override
    public void onSessionClosed(Session session, Throwable cause) {
        LOG.warn("{}: session closed by the broker: {}", name, cause.getMessage());
    }

    @Override
    public void onConsumerClosed(MessageConsumer consumer, Throwable cause) {
        LOG.warn("{}: consumer closed by the broker: {}", name, cause.getMessage());
    }

    @Override
    public void onProducerClosed(MessageProducer producer, Throwable cause) {
        LOG.warn("{}: producer closed by the broker: {}", name, cause.getMessage());
    }
}
