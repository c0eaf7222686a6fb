package dev.cdc.spark.source;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.MessageBus;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.MessageProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the source: one queue consumer, the messages received and not yet acknowledged, numbered
 * in arrival order. Messages are acknowledged (one by one, the broker's individual acknowledgement) only when the
 * micro-batch holding them commits; the buffer is bounded, so a slow pipeline leaves messages in the queue.
 * Used by Spark's micro-batch thread only.
 */
final class MessageBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageBuffer.class);

    private final BrokerSourceOptions options;
    private final MessageBus bus;
    private final QueueConsumer consumer;
    /** A received message (kept to acknowledge it) and its row (what a partition carries). */
    private record Held(ReceivedMessage received, MessagePartition.Message row) {
    }

    private final NavigableMap<Long, Held> held = new TreeMap<>();
    private long heldBytes;
    private long lastSequence;

    MessageBuffer(BrokerSourceOptions options, MessageBus bus, QueueConsumer consumer) {
        this.options = options;
        this.bus = bus;
        this.consumer = consumer;
    }

    /** Numbers continue after what a checkpoint already used, so offsets only grow across restarts. */
    void continueAfter(long sequence) {
        lastSequence = Math.max(lastSequence, sequence);
    }

    /** Receives what the queue has now, up to the buffer's bound; returns the last sequence held. */
    long fill() throws BrokerException {
        Duration wait = held.isEmpty() ? options.firstMessageWait() : Duration.ofMillis(1);
        while (held.size() < options.maxBuffered() && heldBytes < options.maxBufferedBytes()) {
            ReceivedMessage m = consumer.receive(wait);
            if (m == null) {
                break;
            }
            wait = Duration.ofMillis(1);
            long sequence = ++lastSequence;
            heldBytes += m.message().body().length;
            SourceCounts.jvm().received(m.message().body().length, m.redelivered());
            held.put(sequence, new Held(m, new MessagePartition.Message(sequence, m.message().topic(),
                    m.message().property(MessageProperties.KEY), m.message().property(MessageProperties.SCN),
                    json(m.message().properties()), m.message().body(), micros(Instant.now()))));
        }
        return lastSequence;
    }

    /**
     * The last sequence a batch starting after {@code start} may end at: at most {@code maxEvents} messages and
     * {@code maxBytes} body bytes, but at least one message, however large.
     */
    long batchEnd(long start, long maxEvents, long maxBytes) {
        long end = start;
        long bytes = 0;
        for (Map.Entry<Long, Held> e : held.tailMap(start, false).entrySet()) {
            bytes += e.getValue().row().body().length;
            if (end > start && (e.getKey() - start > maxEvents || bytes > maxBytes)) {
                break;
            }
            end = e.getKey();
        }
        return end;
    }

    /**
     * Whether messages up to {@code planned} wait for a commit Spark only sends when it plans another batch: with
     * no new message there would be none, so the source asks for an empty batch ({@link #skip}).
     */
    boolean awaitingCommit(long planned) {
        return !held.isEmpty() && held.lastKey() <= planned;
    }

    /** Uses up one sequence number without a message, for an empty batch; returns it. */
    long skip() {
        return ++lastSequence;
    }

    /** The messages numbered after {@code start} up to {@code end}; those from before this run are gone. */
    List<MessagePartition.Message> range(long start, long end) {
        return held.subMap(start, false, end, true).values().stream().map(Held::row).toList();
    }

    /** Acknowledges every message up to {@code end}: the micro-batch holding them committed. */
    void commit(long end) throws BrokerException {
        NavigableMap<Long, Held> done = held.headMap(end, true);
        if (done.isEmpty()) {
            return;
        }
        consumer.acknowledge(done.values().stream().map(Held::received).toList());
        int n = done.size();
        long bytes = done.values().stream().mapToLong(h -> h.row().body().length).sum();
        heldBytes -= bytes;
        SourceCounts.jvm().acknowledged(n, bytes);
        done.clear();
        LOG.debug("acknowledged {} messages up to sequence {}", n, end);
    }

    @Override
    public void close() throws BrokerException {
        SourceCounts.jvm().released(heldBytes); // unacknowledged messages go back to the queue
        heldBytes = 0;
        try {
            consumer.close();
        } finally {
            bus.close();
        }
    }

    private static String json(Map<String, String> properties) {
        return DebeziumJsonCodec.mapper().valueToTree(properties).toString();
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
