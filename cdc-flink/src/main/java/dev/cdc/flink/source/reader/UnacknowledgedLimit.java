package dev.cdc.flink.source.reader;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much more a reader may receive: the messages it received and has not acknowledged stay under a count and a
 * byte bound, so a backlog of large documents backpressures (the reader stops receiving, the queue keeps them)
 * instead of filling the heap. Either bound reached means no room; a completed checkpoint's acknowledgement
 * ({@link #released}) makes room again.
 *
 * <p>A message is taken whole, so the bytes may pass the bound by one message (a body larger than the bound is
 * still received, alone, rather than never). Received on the fetcher thread, released on it too; read by metrics
 * reporters from any thread. Internal.
 */
final class UnacknowledgedLimit {

    private final long maxMessages;
    private final long maxBytes;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    UnacknowledgedLimit(long maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limits must be positive, were " + maxMessages + " messages and "
                    + maxBytes + " bytes");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** How many messages may be received now, at most {@code wanted}: 0 once either bound is reached. */
    int room(int wanted) {
        if (bytes.get() >= maxBytes) {
            return 0;
        }
        return (int) Math.max(0, Math.min(wanted, maxMessages - messages.get()));
    }

    /** Whether the byte bound is reached: a fetch stops taking messages, even with room left by count. */
    boolean bytesReached() {
        return bytes.get() >= maxBytes;
    }

    void received(long bodyBytes) {
        messages.incrementAndGet();
        bytes.addAndGet(bodyBytes);
    }

    /** Acknowledged (or given up to redelivery by the broker): no longer held. */
    void released(long count, long bodyBytes) {
        messages.addAndGet(-count);
        bytes.addAndGet(-bodyBytes);
    }

    long messages() {
        return messages.get();
    }

    long bytes() {
        return bytes.get();
    }

    long maxMessages() {
        return maxMessages;
    }

    long maxBytes() {
        return maxBytes;
    }
}
