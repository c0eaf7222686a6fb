package dev.cdc.broker;

import dev.cdc.common.event.BrokerMessage;

/**
 * A message as a consumer received it: the message, how many times the broker has delivered it (1 the first
 * time), and the adapter's handle for acknowledging it.
 */
public record ReceivedMessage(BrokerMessage message, int deliveryCount, Object handle) {

    /** The broker had delivered this message before (a rejection, a crashed consumer's, as the broker counts). */
    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
