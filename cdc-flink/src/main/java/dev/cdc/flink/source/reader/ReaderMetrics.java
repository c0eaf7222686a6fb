package dev.cdc.flink.source.reader;

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

    private final UnacknowledgedLimit limit;

    ReaderMetrics(MetricGroup readerGroup, IntSupplier awaitingCheckpoint, UnacknowledgedLimit limit) {
        this.limit = limit;
        MetricGroup group = readerGroup.addGroup("broker");
        group.counter("messagesReceived", received);
        group.counter("messagesAcknowledged", acknowledged);
        group.counter("acknowledgementsFailed", acknowledgeFailed);
        group.gauge("messagesAwaitingCheckpoint", awaitingCheckpoint::getAsInt);
        group.gauge("messagesUnacknowledged", this::unacknowledged);
        group.gauge("bytesUnacknowledged", limit::bytes);
    }

    void received(int bytes) {
        received.inc();
        limit.received(bytes);
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
