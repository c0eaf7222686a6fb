package dev.cdc.broker;

import dev.cdc.common.event.BrokerMessage;
import java.util.List;

/**
 * What a queue holds, looked at without taking anything: how many messages, their bytes (bodies and properties, as
 * the client sees them: the broker's own count adds its headers), and the first few of them.
 */
public record QueueSnapshot(String queue, long messages, long bytes, List<BrokerMessage> first) {

    public QueueSnapshot {
        first = List.copyOf(first);
    }
}
