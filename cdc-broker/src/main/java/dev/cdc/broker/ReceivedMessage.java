package dev.cdc.broker;

import dev.cdc.common.event.BrokerMessage;

/**
 * A message as a consumer received it: the message, how many times the broker has delivered it (1 the first
 * time), when its publisher sent it (epoch milliseconds: the message's creation time, JMSTimestamp; the time it was
 * received when the publisher set none), and the adapter's handle for acknowledging it.
 */
public record ReceivedMessage(BrokerMessage message, int deliveryCount, long publishedAtMillis, Object handle) {

    /** The broker had delivered this message before (a rejection, a crashed consumer's, as the broker counts). */
    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
