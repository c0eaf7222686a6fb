package dev.cdc.flink.source.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A reader's share of a queue: not a partition (a queue has none) but a licence to run one competing consumer on it.
 * Every reader subtask gets split {@code <queue>#<subtask>}; the broker spreads the messages over the consumers and
 * its message groups keep each row's changes on one consumer, in order. A split carries no position: the broker keeps
 * what is unacknowledged, so there is nothing to checkpoint in it.
 */
public record QueueSplit(String queue, int subtask) implements SourceSplit {

    public QueueSplit {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("a queue split needs a queue address");
        }
        if (subtask < 0) {
            throw new IllegalArgumentException("a queue split's subtask must be >= 0, was " + subtask);
        }
    }

    @Override
    public String splitId() {
        return queue + "#" + subtask;
    }

    @Override
    public String toString() {
        return splitId();
    }
}
