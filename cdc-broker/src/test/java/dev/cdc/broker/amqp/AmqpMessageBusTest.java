package dev.cdc.broker.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import org.junit.jupiter.api.Test;

class AmqpMessageBusTest {

    @Test
    void sendsFailedByAnInterruptionGoAgain() {
        // what Qpid JMS's session gives every asynchronous send in flight when the connection drops (CI saw it end
        // a publisher across a broker restart)
        assertThat(AmqpMessageBus.lostWithConnection(new JMSException("Send failed due to connection loss"))).isTrue();
        assertThat(AmqpMessageBus.lostWithConnection(
                new JMSException("wrapped", "x") {{ initCause(new java.io.IOException("Connection reset")); }})).isTrue();
        // what a stopping embedded broker answers a send that reaches it (a verify run saw it fail a publisher)
        assertThat(AmqpMessageBus.lostWithConnection(
                new JMSException("AMQ229257: IDGenerator has been stopped [condition = failed]"))).isTrue();
    }

    @Test
    void aRefusalIsNotAnInterruption() {
        assertThat(AmqpMessageBus.lostWithConnection(
                new ResourceAllocationException("amqp:resource-limit-exceeded: Address is full"))).isFalse();
        assertThat(AmqpMessageBus.lostWithConnection(new JMSException("amqp:unauthorized-access"))).isFalse();
    }
}
