package dev.cdc.infra;

import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;

/**
 * Solace subscriptions in Artemis's wildcard syntax (configured as {@code /}, {@code *}, {@code >}). The one
 * difference: Artemis's {@code >} also matches zero levels, Solace's at least one, so a trailing {@code >} becomes
 * {@code * />} (one level, then any). Measured on Artemis 2.55.
 */
public final class ArtemisSubscriptions {

    private ArtemisSubscriptions() {
    }

    /** The Artemis address of a subscription. */
    public static String address(TopicSubscription subscription) {
        String p = subscription.pattern();
        return p.endsWith("/>") || p.equals(">") ? p.substring(0, p.length() - 1) + "*/>" : p;
    }

    /** The address a JMS consumer uses for a queue on Artemis: {@code ADDRESS::QUEUE}. On Solace it is the queue name. */
    public static String consumerAddress(QueueSpec queue) {
        return address(queue.subscriptions().get(0)) + "::" + queue.name();
    }
}
