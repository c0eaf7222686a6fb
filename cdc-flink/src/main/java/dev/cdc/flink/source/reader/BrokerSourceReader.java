package dev.cdc.flink.source.reader;

import dev.cdc.flink.source.BrokerRecord;
import dev.cdc.flink.source.BrokerSourceConfig;
import dev.cdc.flink.source.split.QueueSplit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader subtask of the broker source: one consumer on the queue, messages acknowledged on the broker only when a
 * checkpoint that covers them completes.
 *
 * <p>Threading. Built on flink-connector-base rather than by hand: its fetcher thread owns the consumer (every
 * broker call happens there, the consumer being single-threaded), its bounded hand-over queue and availability future
 * give back-pressure without a thread of ours, and its fetcher task queue carries acknowledgements from this task
 * thread to the consumer's thread. Emitting, {@link #snapshotState} and the checkpoint notifications all run on the
 * task thread, so the bookkeeping ({@link PendingAcknowledgements}) needs no locks.
 *
 * <p>Memory. Received but not yet emitted: the prefetch plus at most three fetches (one handed over, one being
 * emitted, one the fetcher waits to hand over; the hand-over queue holds one batch unless
 * {@code source.reader.element.queue.capacity} says otherwise). Emitted and waiting for a checkpoint: checkpoint
 * interval x rate; all received and unacknowledged messages together stay under the configured count and byte
 * limits ({@link UnacknowledgedLimit}), past which the reader stops receiving until checkpoints catch up.
 *
 * <p>State. The reader checkpoints no split: the broker keeps what is unacknowledged and redelivers it after a
 * failure, and the enumerator hands a reader its split again whenever it registers. Internal.
 */
@Internal
public final class BrokerSourceReader
        extends SingleThreadMultiplexSourceReaderBase<Delivery, BrokerRecord, QueueSplit, QueueSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSourceReader.class);

    private final PendingAcknowledgements<Receipt> pending;
    private final AcknowledgingFetcherManager fetchers;
    private final Set<String> held = new HashSet<>();
    private final ReaderMetrics metrics;
    /** When this reader snapshot each checkpoint not yet completed (nanos), for the checkpoint's duration. */
    private final java.util.NavigableMap<Long, Long> snapshotAt = new java.util.concurrent.ConcurrentSkipListMap<>();

    private BrokerSourceReader(AcknowledgingFetcherManager fetchers, PendingAcknowledgements<Receipt> pending,
                               ReaderMetrics metrics, Configuration config, SourceReaderContext context) {
        super(fetchers, new DeliveryEmitter(pending), config, context);
        this.fetchers = fetchers;
        this.pending = pending;
        this.metrics = metrics;
    }

    public static BrokerSourceReader create(BrokerSourceConfig source, SourceReaderContext context) {
        Configuration config = new Configuration(context.getConfiguration());
        if (!config.contains(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY)) {
            config.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY, 1);
        }
        PendingAcknowledgements<Receipt> pending = new PendingAcknowledgements<>();
        UnacknowledgedLimit limit = new UnacknowledgedLimit(source.maxUnacknowledged(), source.maxUnacknowledgedBytes());
        ReaderMetrics metrics = new ReaderMetrics(context.metricGroup(), pending::size, limit);
        AcknowledgingFetcherManager fetchers = new AcknowledgingFetcherManager(
                () -> new BrokerSplitReader(source, metrics, limit), config);
        return new BrokerSourceReader(fetchers, pending, metrics, config, context);
    }

    /** A split this reader already holds (the enumerator assigns again on every registration) is ignored. */
    @Override
    public void addSplits(List<QueueSplit> splits) {
        List<QueueSplit> added = splits.stream().filter(s -> held.add(s.splitId())).toList();
        if (!added.isEmpty()) {
            super.addSplits(added);
        }
    }

    /** Closes the set of messages this checkpoint's barrier follows; no split state (see the class comment). */
    @Override
    public List<QueueSplit> snapshotState(long checkpointId) {
        super.snapshotState(checkpointId);
        pending.snapshot(checkpointId);
        snapshotAt.put(checkpointId, System.nanoTime());
        return List.of();
    }

    /** Acknowledges what this checkpoint and every earlier one cover (a notification can be skipped). */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Long at = snapshotAt.get(checkpointId);
        if (at != null) {
            metrics.checkpointCompleted((System.nanoTime() - at) / 1_000_000);
        }
        snapshotAt.headMap(checkpointId, true).clear(); // an older one that never completes is covered by this one
        List<Receipt> done = pending.completed(checkpointId);
        if (!done.isEmpty()) {
            LOG.debug("checkpoint {} completed: acknowledging {} messages", checkpointId, done.size());
            fetchers.acknowledge(done);
        }
    }

    /** The aborted checkpoint's messages stay pending: the next checkpoint to complete covers them. */
    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        LOG.debug("checkpoint {} aborted; {} messages wait for a later one", checkpointId, pending.size());
    }

    /** What this reader held unacknowledged goes back to the queue: it no longer counts as buffered. */
    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            metrics.closed();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, QueueSplit> finished) {
        // a queue never ends
    }

    @Override
    protected QueueSplit initializedState(QueueSplit split) {
        return split;
    }

    @Override
    protected QueueSplit toSplitType(String splitId, QueueSplit state) {
        return state;
    }
}
