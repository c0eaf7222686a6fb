package dev.cdc.flink.source.enumerator;

import dev.cdc.broker.QueueLease;
import dev.cdc.flink.source.split.QueueSplit;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each registering reader its split {@code <queue>#<subtask>}: one competing consumer per reader, whatever the
 * parallelism. A reader registers whenever it (re)starts and keeps no split in its own checkpoint, so the assignment
 * on registration is what restores a reader after a failover or a rescale; splits handed back by a failed reader
 * ({@link #addSplitsBack}) go to that subtask again once it is registered. Readers ignore a split they already hold.
 *
 * <p>On a leased queue the splits wait until this job holds the queue's lease ({@link QueueLease}; checked every
 * half second): a second job on the queue gets none while the first lives, so no
 * two jobs split the rows the join must see. A lease lost (its token went to another job after a reconnect) fails the
 * job: its restart waits for the lease again. Internal.
 */
@Internal
public final class QueueSplitEnumerator implements SplitEnumerator<QueueSplit, EnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSplitEnumerator.class);
    private static final long LEASE_CHECK_MILLIS = 500;

    /** Opens the job's lease; it is opened and waited for in the background. */
    public interface LeaseOpener {
        QueueLease open();
    }

    private final String queue;
    private final SplitEnumeratorContext<QueueSplit> context;
    private final LeaseOpener leaseOpener;
    private QueueLease lease;
    private boolean leaseHeld;

    /** An enumerator whose readers consume at once (no lease). */
    public QueueSplitEnumerator(String queue, SplitEnumeratorContext<QueueSplit> context) {
        this(queue, context, null);
    }

    /** @param leaseOpener the job's lease on the queue, or null for none */
    public QueueSplitEnumerator(String queue, SplitEnumeratorContext<QueueSplit> context, LeaseOpener leaseOpener) {
        this.queue = Preconditions.checkNotNull(queue, "queue");
        this.context = Preconditions.checkNotNull(context, "context");
        this.leaseOpener = leaseOpener;
        this.leaseHeld = leaseOpener == null;
    }

    @Override
    public void start() {
        LOG.info("broker source on queue {}: one consumer per reader, {} readers{}", queue,
                context.currentParallelism(), leaseOpener == null ? "" : ", once the job holds the queue's lease");
        if (leaseOpener != null) {
            lease = leaseOpener.open();
            LOG.info("waiting for {} (a job holding it consumes; this one waits as a standby until it goes)", lease.queue());
            context.callAsync(lease::state, this::onLease, 0, LEASE_CHECK_MILLIS);
        }
    }

    /** On the coordinator thread. */
    private void onLease(QueueLease.State state, Throwable error) {
        if (state == QueueLease.State.HELD && !leaseHeld) {
            leaseHeld = true;
            LOG.info("the job holds {}: {} readers consume", lease.queue(), context.registeredReaders().size());
            context.registeredReaders().keySet().forEach(subtask -> assign(new QueueSplit(queue, subtask)));
        } else if (state == QueueLease.State.LOST) {
            // thrown on the coordinator thread, this fails the job; its restart waits for the lease again
            throw new FlinkRuntimeException("the job lost " + lease.queue() + " to another job on queue " + queue
                    + " (a reconnect after which its token went elsewhere): failing over to wait as a standby");
        }
    }

    @Override
    public void addReader(int subtask) {
        if (leaseHeld) {
            assign(new QueueSplit(queue, subtask));
        } else {
            LOG.debug("reader {} registered; its split waits for the lease", subtask);
        }
    }

    @Override
    public void addSplitsBack(List<QueueSplit> splits, int subtask) {
        if (leaseHeld && context.registeredReaders().containsKey(subtask)) {
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

    /** Gives the lease up: the next job waiting on the queue takes it. */
    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }
}
