package dev.cdc.infra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;

/**
 * Counts, per queue, the deliveries of messages the broker had delivered before (Artemis keeps no such figure on a
 * queue): a rejected message, a crashed consumer's. A message a consumer gave back in order (a graceful close) does
 * not count, as Artemis counts no attempt for it. Internal to the embedded broker.
 */
final class Redeliveries implements ActiveMQServerMessagePlugin {

    private final Map<String, LongAdder> byQueue = new ConcurrentHashMap<>();

    @Override
    public void afterDeliver(ServerConsumer consumer, MessageReference reference) {
        if (reference.getDeliveryCount() > 1) {
            byQueue.computeIfAbsent(reference.getQueue().getName().toString(), q -> new LongAdder()).increment();
        }
    }

    long of(String queue) {
        LongAdder n = byQueue.get(queue);
        return n == null ? 0 : n.sum();
    }
}
