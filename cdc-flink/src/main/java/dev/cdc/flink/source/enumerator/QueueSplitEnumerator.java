package dev.cdc.flink.source.enumerator;

import dev.cdc.flink.source.split.QueueSplit;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each registering reader its split {@code <queue>#<subtask>}: one competing consumer per reader, whatever the
 * parallelism. A reader registers whenever it (re)starts and keeps no split in its own checkpoint, so the assignment
 * on registration is what restores a reader after a failover or a rescale; splits handed back by a failed reader
 * ({@link #addSplitsBack}) go to that subtask again once it is registered. Readers ignore a split they already hold.
 * Internal.
 */
@Internal
public final class QueueSplitEnumerator implements SplitEnumerator<QueueSplit, EnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSplitEnumerator.class);

    private final String queue;
    private final SplitEnumeratorContext<QueueSplit> context;

    public QueueSplitEnumerator(String queue, SplitEnumeratorContext<QueueSplit> context) {
        this.queue = Preconditions.checkNotNull(queue, "queue");
        this.context = Preconditions.checkNotNull(context, "context");
    }

    @Override
    public void start() {
        LOG.info("broker source on queue {}: one consumer per reader, {} readers", queue, context.currentParallelism());
    }

    @Override
    public void addReader(int subtask) {
        assign(new QueueSplit(queue, subtask));
    }

    @Override
    public void addSplitsBack(List<QueueSplit> splits, int subtask) {
        if (context.registeredReaders().containsKey(subtask)) {
            splits.forEach(this::assign);
        } else {
            LOG.debug("splits {} of subtask {} come back; assigned again when it registers", splits, subtask);
        }
    }

    private void assign(QueueSplit split) {
        LOG.debug("assigning {} to subtask {}", split, split.subtask());
        context.assignSplit(split, split.subtask());
    }

    @Override
    public void handleSplitRequest(int subtask, String requesterHostname) {
        // splits are pushed on registration; a reader never asks
    }

    @Override
    public EnumeratorState snapshotState(long checkpointId) {
        return new EnumeratorState(queue);
    }

    @Override
    public void close() {
        // holds no resources
    }
}
