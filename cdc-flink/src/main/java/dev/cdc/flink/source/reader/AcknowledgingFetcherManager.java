package dev.cdc.flink.source.reader;

import dev.cdc.flink.source.split.QueueSplit;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single fetcher thread of a reader, which can also be handed acknowledgements: they are queued as a fetcher
 * task, which Flink runs on that thread between two fetches (at most a poll timeout later, or once the mailbox has
 * taken the batch the fetcher is waiting to hand over). Internal.
 */
final class AcknowledgingFetcherManager extends SingleThreadFetcherManager<Delivery, QueueSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgingFetcherManager.class);

    AcknowledgingFetcherManager(Supplier<BrokerSplitReader> splitReaders, Configuration config) {
        super(splitReaders::get, config);
    }

    /** Queues the acknowledgement of these messages on the fetcher thread. Called from the task thread. */
    void acknowledge(List<Receipt> messages) {
        SplitFetcher<Delivery, QueueSplit> fetcher = getRunningFetcher();
        if (fetcher == null) {
            // no consumer is open: whatever it received went back to the queue when it closed
            LOG.debug("no running consumer to acknowledge {} messages; the broker redelivers them", messages.size());
            return;
        }
        BrokerSplitReader reader = (BrokerSplitReader) fetcher.getSplitReader();
        fetcher.enqueueTask(new SplitFetcherTask() {
            @Override
            public boolean run() {
                reader.acknowledge(messages);
                return true;
            }

            @Override
            public void wakeUp() {
                // an acknowledgement is short and never blocks on Flink: nothing to interrupt
            }

            @Override
            public String toString() {
                return "acknowledge " + messages.size() + " messages";
            }
        });
    }
}
