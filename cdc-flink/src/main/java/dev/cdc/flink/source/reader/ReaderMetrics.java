package dev.cdc.flink.source.reader;

import dev.cdc.common.progress.ConsumerProgress;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * A reader's broker counts, registered under its metric group's {@code broker} subgroup: messages received and
 * acknowledged, acknowledgements that failed (those messages come again), emitted messages waiting for their
 * checkpoint, and received messages and bytes not yet acknowledged (what the {@link UnacknowledgedLimit} bounds).
 * Internal.
 */
final class ReaderMetrics {

    private final Counter received = new ThreadSafeSimpleCounter();
    private final Counter acknowledged = new ThreadSafeSimpleCounter();
    private final Counter acknowledgeFailed = new ThreadSafeSimpleCounter();
    private final Counter redelivered = new ThreadSafeSimpleCounter();
    private volatile boolean closed;
    private volatile long lastCheckpointMillis = -1;

    private final UnacknowledgedLimit limit;

    ReaderMetrics(MetricGroup readerGroup, IntSupplier awaitingCheckpoint, UnacknowledgedLimit limit) {
        this.limit = limit;
        MetricGroup group = readerGroup.addGroup(ReaderProgress.GROUP);
        group.counter(ReaderProgress.RECEIVED, received);
        group.counter(ReaderProgress.ACKNOWLEDGED, acknowledged);
        group.counter("acknowledgementsFailed", acknowledgeFailed);
        group.counter(ReaderProgress.REDELIVERED, redelivered);
        long instance = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        group.gauge(ReaderProgress.INSTANCE, () -> instance);
        group.gauge("messagesAwaitingCheckpoint", awaitingCheckpoint::getAsInt);
        group.gauge("messagesUnacknowledged", this::unacknowledged);
        group.gauge(ReaderProgress.UNACKNOWLEDGED_BYTES, limit::bytes);
        group.gauge(ReaderProgress.LAST_CHECKPOINT, () -> lastCheckpointMillis);
        ReaderProgress.jvm().add(this);
    }

    void received(int bytes, boolean again) {
        received.inc();
        if (again) {
            redelivered.inc();
        }
        limit.received(bytes);
    }

    /** A checkpoint completed {@code millis} after this reader's snapshot of it. */
    void checkpointCompleted(long millis) {
        lastCheckpointMillis = millis;
    }

    /** The reader closed: what it held unacknowledged goes back to the queue. */
    void closed() {
        closed = true;
    }

    /** What this reader counted; once closed, its counts only. */
    ConsumerProgress.Source source() {
        ConsumerProgress.Source s = new ConsumerProgress.Source(received.getCount(), acknowledged.getCount(),
                redelivered.getCount(), limit.bytes(), lastCheckpointMillis);
        return closed ? s.counted() : s;
    }

    void acknowledged(int messages, long bytes) {
        acknowledged.inc(messages);
        limit.released(messages, bytes);
    }

    /** A failed acknowledgement means redelivery: those messages are no longer this reader's to hold. */
    void acknowledgeFailed(int messages, long bytes) {
        acknowledgeFailed.inc(messages);
        limit.released(messages, bytes);
    }

    /** Received and neither acknowledged nor given up (a failed acknowledgement means redelivery). */
    long unacknowledged() {
        return limit.messages();
    }
}
