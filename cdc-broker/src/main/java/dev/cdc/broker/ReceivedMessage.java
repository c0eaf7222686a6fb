package dev.cdc.broker;

import dev.cdc.common.event.BrokerMessage;

/**
 * A message as a consumer received it: the message, how many times the broker has delivered it (1 the first
 * time), and the adapter's handle for acknowledging it.
 */
public record ReceivedMessage(BrokerMessage message, int deliveryCount, Object handle) {
}
