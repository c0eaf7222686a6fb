package dev.cdc.spark.source;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueLease;
import dev.cdc.broker.amqp.AmqpMessageBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable queue as a Spark micro-batch stream. Planning a batch receives what the queue holds (bounded by
 * {@code maxEventsPerTrigger}); the batch's messages travel in its partitions; they are acknowledged when Spark
 * commits the batch (which Spark 4.2 signals as it plans the next one), so a crash before the commit means the
 * broker delivers them again and the idempotent ODS apply makes that effectively exactly-once.
 * {@link #planInputPartitions} is called more than once per batch and has no side effects.
 *
 * <p>On a leased queue the driver consumes only while it holds the queue's lease ({@link QueueLease}): until then
 * (another consumer holds it) every trigger finds nothing new and no consumer is even attached, so the broker binds
 * no row to it; a lease lost (its token went to another consumer after a reconnect) closes the consumer, whose
 * unacknowledged messages go to the new holder, and the driver waits again.
 */
final class BrokerMicroBatchStream implements MicroBatchStream, SupportsAdmissionControl, ReportsSourceMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerMicroBatchStream.class);

    private final BrokerSourceOptions options;
    private final int partitions;
    private MessageBuffer buffer;
    private QueueLease lease;
    private QueueLease.State leaseState;

    BrokerMicroBatchStream(BrokerSourceOptions options, int partitions) {
        this.options = options;
        this.partitions = Math.max(1, partitions);
    }

    private MessageBuffer buffer() {
        if (buffer == null) {
            try {
                AmqpMessageBus bus = AmqpMessageBus.connect(options.endpoint());
                buffer = new MessageBuffer(options, bus, bus.consume(options.queue(), options.prefetch()));
                LOG.info("{} started", options);
            } catch (BrokerException e) {
                throw new IllegalStateException(e.getMessage(), e); // Spark retries the query; nothing was acknowledged
            }
        }
        return buffer;
    }

    @Override
    public Offset initialOffset() {
        return new SequenceOffset(0);
    }

    @Override
    public ReadLimit getDefaultReadLimit() {
        return ReadLimit.maxRows(options.maxEventsPerTrigger());
    }

    @Override
    public Offset latestOffset() {
        throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) is used instead");
    }

    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit) {
        if (SourcePause.paused()) {
            return startOffset; // the driver is stopping: no new batch (what was not acknowledged comes again)
        }
        if (!leaseHeld()) {
            return startOffset;
        }
        long start = ((SequenceOffset) startOffset).sequence();
        MessageBuffer b = buffer();
        b.continueAfter(start);
        long last;
        try {
            last = b.fill();
        } catch (BrokerException e) {
            // The broker closed this consumer (a link cut long enough, a broker that dropped it): the client's own
            // reconnect does not bring a closed consumer back, so the next trigger opens a new one. Whatever this one
            // held unacknowledged, the broker delivers again; the idempotent apply makes that harmless.
            LOG.warn("receiving from {} failed ({}); opening a new consumer next trigger", options.queue(), e.getMessage());
            closeBuffer();
            return startOffset;
        }
        if (last == start && b.awaitingCommit(start)) {
            // Spark commits batch N (and we acknowledge it) only when it plans batch N+1: without new messages,
            // an empty batch does it, or the last batch before a quiet period would stay unacknowledged
            return new SequenceOffset(b.skip());
        }
        long max = limit instanceof ReadMaxRows rows ? rows.maxRows() : options.maxEventsPerTrigger();
        return new SequenceOffset(b.batchEnd(start, max, options.maxBytesPerTrigger()));
    }

    /** Whether this driver may consume now: no lease, or the lease held (opened at the first call). */
    private boolean leaseHeld() {
        if (options.lease() == null) {
            return true;
        }
        if (lease == null) {
            lease = AmqpMessageBus.lease(options.endpoint(), options.lease());
            LOG.info("waiting for {}: a consumer holding it consumes, this one waits as a standby until it goes",
                    options.lease());
        }
        QueueLease.State state = lease.state();
        if (state != leaseState) {
            LOG.info("lease {}: {}", options.lease(), state);
            leaseState = state;
        }
        if (state == QueueLease.State.LOST) {
            closeBuffer(); // what it held unacknowledged goes to the new holder
        }
        return state == QueueLease.State.HELD;
    }

    @Override
    public InputPartition[] planInputPartitions(Offset start, Offset end) {
        long from = ((SequenceOffset) start).sequence();
        long to = ((SequenceOffset) end).sequence();
        if (buffer == null) {
            // a batch a restart replans before this run received anything: its messages come again, to whoever
            // holds the queue; no consumer is opened here (without the lease it must not attach)
            return new InputPartition[0];
        }
        MessageBuffer b = buffer;
        b.continueAfter(to); // after a restart Spark may replan the last uncommitted batch: its messages come again
        List<MessagePartition.Message> messages = b.range(from, to);
        List<List<MessagePartition.Message>> slices = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            slices.add(new ArrayList<>());
        }
        for (MessagePartition.Message m : messages) {
            // one row's changes in one slice, in arrival order: the slices write at once on the executors, and rows
            // apart means no two of them wait on one row. A message without the key property is spread by sequence
            // (its key is in its payload, read on the executor; the position guard keeps its row right wherever it goes).
            int hash = m.key() == null ? Long.hashCode(m.sequence()) : (table(m.topic()) + "|" + m.key()).hashCode();
            slices.get(Math.floorMod(hash, partitions)).add(m);
        }
        return slices.stream().filter(s -> !s.isEmpty()).map(MessagePartition::new).toArray(InputPartition[]::new);
    }

    /** The topic without its operation level: a row's insert, update and delete share a slice. */
    private static String table(String topic) {
        int op = topic.lastIndexOf('/');
        return op > 0 ? topic.substring(0, op) : topic;
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new MessageReaderFactory();
    }

    /** What the driver received and acknowledged, in each batch's progress (the Spark UI's and the listeners'). */
    @Override
    public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
        return SourceCounts.jvm().asSparkMetrics();
    }

    @Override
    public Offset deserializeOffset(String json) {
        return SequenceOffset.parse(json);
    }

    @Override
    public void commit(Offset end) {
        if (buffer == null) {
            return; // nothing received in this run (or the consumer was closed): nothing to acknowledge
        }
        try {
            buffer.commit(((SequenceOffset) end).sequence());
        } catch (BrokerException e) {
            // not acknowledged means delivered again: the apply is idempotent, so this loses nothing
            LOG.warn("acknowledging up to {} failed; those messages will be delivered again: {}", end, e.getMessage());
        }
    }

    @Override
    public void stop() {
        closeBuffer();
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    private void closeBuffer() {
        if (buffer != null) {
            try {
                buffer.close();
            } catch (BrokerException e) {
                LOG.warn("closing {}: {}", options, e.getMessage());
            }
            buffer = null;
        }
    }
}
