package dev.cdc.flink.source.reader;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.MessageBus;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.flink.source.BrokerRecord;
import dev.cdc.flink.source.BrokerSourceConfig;
import dev.cdc.flink.source.split.QueueSplit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader's one broker consumer, driven by Flink's fetcher thread: every broker call of a reader (open, receive,
 * acknowledge, close) runs on that one thread, as {@link QueueConsumer} requires.
 *
 * <p>{@link #fetch} receives up to {@code maxMessagesPerFetch} messages, waiting at most {@code pollTimeout} for the
 * first, and returns early when woken up. It stops receiving while the messages received and not acknowledged
 * reach {@code maxUnacknowledged} or their bodies {@code maxUnacknowledgedBytes} (checkpoints lag, large documents):
 * the queue holds the rest, memory stays bounded. {@link #acknowledge} runs as a
 * fetcher task between two fetches.
 *
 * <p>Failures. An acknowledgement that cannot reach the broker never fails the job: the broker redelivers what it
 * was not told about (at least once). Qpid's failover accepts the acknowledgement of a message received before a
 * reconnect and drops it (measured: no exception, the message comes again); an exception (a closed session) is logged
 * once per run of failures and counted. A consumer the broker closes is replaced at the next fetch, without a
 * failover; a consumer that cannot be opened fails the reader, and Flink's restart strategy retries with backoff.
 * Internal.
 */
final class BrokerSplitReader implements SplitReader<Delivery, QueueSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSplitReader.class);
    private static final Duration NEXT_MESSAGE_WAIT = Duration.ofMillis(1);
    private static final byte[] NO_BODY = new byte[0];

    private final BrokerSourceConfig config;
    private final ReaderMetrics metrics;
    private final UnacknowledgedLimit limit;
    private final Set<String> splits = new LinkedHashSet<>();
    private final Object idle = new Object();
    private volatile boolean wokenUp;
    private MessageBus bus;
    private QueueConsumer consumer;
    private boolean acknowledgementsFailing;
    private boolean limitReported;
    /** Counts the consumers this reader opened: a receipt names the one that received its message. */
    private long consumerNumber;

    BrokerSplitReader(BrokerSourceConfig config, ReaderMetrics metrics, UnacknowledgedLimit limit) {
        this.config = config;
        this.metrics = metrics;
        this.limit = limit;
    }

    @Override
    public RecordsWithSplitIds<Delivery> fetch() throws IOException {
        try {
            if (splits.isEmpty()) {
                return new RecordsBySplits<>(Map.of(), Set.of());
            }
            if (consumer == null) {
                open();
            }
            int room = limit.room(config.maxMessagesPerFetch());
            if (room <= 0) {
                awaitAcknowledgements();
                return new RecordsBySplits<>(Map.of(), Set.of());
            }
            return new RecordsBySplits<>(Map.of(splits.iterator().next(), receive(room)), Set.of());
        } catch (BrokerException e) {
            throw new IOException(e.getMessage() + " (" + config + ")", e);
        } finally {
            wokenUp = false;
        }
    }

    private List<Delivery> receive(int max) throws BrokerException {
        List<Delivery> batch = new ArrayList<>(Math.min(max, 256));
        Duration wait = config.pollTimeout();
        while (batch.size() < max && !wokenUp && !limit.bytesReached()) {
            ReceivedMessage m;
            try {
                m = consumer.receive(wait);
            } catch (BrokerException e) {
                // The broker closed this consumer (a queue's egress shut, consumers dropped as a broker stops):
                // Qpid's reconnect does not bring a closed consumer back, so the next fetch opens a new one. What
                // this one held unacknowledged the broker delivers again (at least once); no failover is needed.
                LOG.warn("queue {}: the broker closed the consumer ({}); opening a new one", config.queue(),
                        e.getMessage());
                closeConsumer();
                break;
            }
            if (m == null) {
                break;
            }
            BrokerMessage message = m.message();
            metrics.received(message.body().length, m.redelivered());
            // the receipt keeps the adapter's handle only: the record below carries the body
            ReceivedMessage handle = new ReceivedMessage(new BrokerMessage(message.topic(), Map.of(), NO_BODY),
                    m.deliveryCount(), m.publishedAtMillis(), m.handle());
            batch.add(new Delivery(BrokerRecord.of(message, m.publishedAtMillis(), micros(Instant.now())),
                    new Receipt(handle, message.body().length, consumerNumber)));
            wait = NEXT_MESSAGE_WAIT; // what the prefetch holds comes at once; an empty buffer ends the batch
        }
        return batch;
    }

    /** At the unacknowledged limit: waits a poll timeout at most (or until woken), so acknowledgements can run. */
    private void awaitAcknowledgements() {
        if (!limitReported) {
            limitReported = true;
            LOG.warn("queue {}: {} messages ({} bytes) received and not acknowledged (the limits: {} messages, {} bytes):"
                    + " receiving waits for checkpoints to complete. Logged once; gauges broker.messagesUnacknowledged"
                    + " and broker.bytesUnacknowledged show how often. Checkpoint more often or raise the limits",
                    config.queue(), limit.messages(), limit.bytes(), limit.maxMessages(), limit.maxBytes());
        }
        synchronized (idle) {
            if (!wokenUp) {
                try {
                    idle.wait(config.pollTimeout().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Acknowledges messages whose checkpoint completed. Runs on the fetcher thread (a fetcher task). */
    void acknowledge(Collection<Receipt> messages) {
        long current = consumer == null ? -1 : consumerNumber;
        long bytes = 0;
        int gone = 0;
        long goneBytes = 0;
        List<ReceivedMessage> handles = new ArrayList<>(messages.size());
        for (Receipt r : messages) {
            if (r.consumer() == current) {
                handles.add(r.handle());
                bytes += r.bytes();
            } else {
                gone++;
                goneBytes += r.bytes();
            }
        }
        if (gone > 0) {
            // received by a consumer closed since: the broker took them back when it closed and delivers them again;
            // acknowledging them through it would fail, and with them this consumer's own in the same call
            metrics.acknowledgeFailed(gone, goneBytes);
            LOG.info("queue {}: {} messages to acknowledge came through a closed consumer; the broker delivers them"
                    + " again", config.queue(), gone);
        }
        if (handles.isEmpty()) {
            return;
        }
        try {
            consumer.acknowledge(handles);
            metrics.acknowledged(handles.size(), bytes);
            if (acknowledgementsFailing) {
                acknowledgementsFailing = false;
                LOG.info("queue {}: acknowledgements succeed again", config.queue());
            }
        } catch (BrokerException e) {
            metrics.acknowledgeFailed(handles.size(), bytes);
            if (!acknowledgementsFailing) {
                acknowledgementsFailing = true;
                LOG.warn("queue {}: acknowledging {} messages failed ({}); the broker redelivers what it did not get an"
                        + " acknowledgement for (at least once). Further failures are logged at debug level until one"
                        + " succeeds", config.queue(), handles.size(), e.getMessage());
            } else {
                LOG.debug("queue {}: acknowledging {} messages failed: {}", config.queue(), handles.size(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<QueueSplit> change) {
        if (change instanceof SplitsAddition<QueueSplit>) {
            change.splits().forEach(s -> splits.add(s.splitId()));
        } else {
            change.splits().forEach(s -> splits.remove(s.splitId()));
        }
    }

    @Override
    public void wakeUp() {
        wokenUp = true;
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private void open() throws BrokerException {
        MessageBus opened = AmqpMessageBus.connect(config.endpoint());
        try {
            consumer = opened.consume(config.queue(), config.prefetch());
        } catch (BrokerException e) {
            try {
                opened.close();
            } catch (BrokerException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        bus = opened;
        consumerNumber++;
        LOG.info("consuming {} for splits {}", config, splits);
    }

    /** Closes the consumer: what it received and did not acknowledge goes back to the queue and is redelivered. */
    @Override
    public void close() throws Exception {
        try {
            if (consumer != null) {
                consumer.close();
                LOG.info("queue {}: consumer closed, {} unacknowledged messages return to the queue", config.queue(),
                        metrics.unacknowledged());
            }
        } finally {
            consumer = null;
            if (bus != null) {
                bus.close();
                bus = null;
            }
        }
    }

    private void closeConsumer() {
        try {
            close();
        } catch (Exception e) {
            LOG.debug("queue {}: closing a consumer the broker had closed: {}", config.queue(), e.getMessage());
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
