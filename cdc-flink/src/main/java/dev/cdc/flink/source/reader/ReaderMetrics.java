package dev.cdc.flink.source.reader;

import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * A reader's broker counts, registered under its metric group's {@code broker} subgroup: messages received and
 * acknowledged, acknowledgements that failed (those messages come again), emitted messages waiting for their
 * checkpoint, and received messages not yet acknowledged (what the unacknowledged limit bounds). Internal.
 */
final class ReaderMetrics {

    private final Counter received = new ThreadSafeSimpleCounter();
    private final Counter acknowledged = new ThreadSafeSimpleCounter();
    private final Counter acknowledgeFailed = new ThreadSafeSimpleCounter();

    ReaderMetrics(MetricGroup readerGroup, IntSupplier awaitingCheckpoint) {
        MetricGroup group = readerGroup.addGroup("broker");
        group.counter("messagesReceived", received);
        group.counter("messagesAcknowledged", acknowledged);
        group.counter("acknowledgementsFailed", acknowledgeFailed);
        group.gauge("messagesAwaitingCheckpoint", awaitingCheckpoint::getAsInt);
        group.gauge("messagesUnacknowledged", this::unacknowledged);
    }

    void received() {
        received.inc();
    }

    void acknowledged(int messages) {
        acknowledged.inc(messages);
    }

    void acknowledgeFailed(int messages) {
        acknowledgeFailed.inc(messages);
    }

    /** Received and neither acknowledged nor given up (a failed acknowledgement means redelivery). */
    long unacknowledged() {
        return received.getCount() - acknowledged.getCount() - acknowledgeFailed.getCount();
    }
}
