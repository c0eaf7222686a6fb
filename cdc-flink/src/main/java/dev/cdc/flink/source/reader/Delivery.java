package dev.cdc.flink.source.reader;

import dev.cdc.flink.source.BrokerRecord;

/**
 * A received message on its way from the receiving thread to the emitter: the record to emit and the handle to
 * acknowledge once a checkpoint covers it. Internal.
 *
 * @param receipt what acknowledging it needs (the handle without the body, and the body's size)
 */
record Delivery(BrokerRecord record, Receipt receipt) {
}
