package dev.cdc.flink.source.reader;

import dev.cdc.flink.source.BrokerRecord;
import dev.cdc.flink.source.split.QueueSplit;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits a delivery's record (the source's watermark strategy takes its publish time as timestamp) and notes it as
 * emitted, so the next checkpoint covers it. Runs on the reader's task thread. Internal.
 */
final class DeliveryEmitter implements RecordEmitter<Delivery, BrokerRecord, QueueSplit> {

    private final PendingAcknowledgements<Receipt> pending;

    DeliveryEmitter(PendingAcknowledgements<Receipt> pending) {
        this.pending = pending;
    }

    @Override
    public void emitRecord(Delivery delivery, SourceOutput<BrokerRecord> output, QueueSplit split) {
        output.collect(delivery.record());
        pending.emitted(delivery.receipt());
    }
}
