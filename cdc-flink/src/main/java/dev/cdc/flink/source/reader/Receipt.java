package dev.cdc.flink.source.reader;

import dev.cdc.broker.ReceivedMessage;

/**
 * What acknowledging one emitted message needs: the adapter's handle, without the body (the record carries that, so
 * a message waiting for its checkpoint holds one copy of its body, not two), and the body's size, which the
 * acknowledgement gives back to the reader's {@link UnacknowledgedLimit}; and which of the reader's consumers
 * received it, since only that consumer can acknowledge it. Internal.
 */
record Receipt(ReceivedMessage handle, int bytes, long consumer) {
}
