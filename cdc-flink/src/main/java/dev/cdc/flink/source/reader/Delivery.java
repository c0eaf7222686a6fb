package dev.cdc.flink.source.reader;

import dev.cdc.broker.ReceivedMessage;
import dev.cdc.flink.source.BrokerRecord;

/**
 * A received message on its way from the receiving thread to the emitter: the record to emit and the handle to
 * acknowledge once a checkpoint covers it. Internal.
 *
 * @param receipt what {@code QueueConsumer.acknowledge} needs: the adapter's handle, without the body (the record
 *     carries that), so messages waiting for their checkpoint hold one copy of their body, not two
 */
record Delivery(BrokerRecord record, ReceivedMessage receipt) {
}
