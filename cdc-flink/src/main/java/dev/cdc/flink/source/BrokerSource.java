package dev.cdc.flink.source;

import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.flink.source.enumerator.EnumeratorState;
import dev.cdc.flink.source.enumerator.EnumeratorStateSerializer;
import dev.cdc.flink.source.enumerator.QueueSplitEnumerator;
import dev.cdc.flink.source.reader.BrokerSourceReader;
import dev.cdc.flink.source.split.QueueSplit;
import dev.cdc.flink.source.split.QueueSplitSerializer;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable broker queue as an unbounded Flink source (FLIP-27): each reader subtask is one competing consumer on
 * the queue, and a message is acknowledged on the broker only when a checkpoint that covers it completes. At least
 * once: what a failed or cancelled job received and did not acknowledge is redelivered, so the job downstream must be
 * idempotent. Without checkpointing nothing is ever acknowledged.
 *
 * <pre>{@code
 * DataStream<BrokerRecord> messages = env.fromSource(new BrokerSource(BrokerSourceConfig.from(config, queue)),
 *         PublishTimeWatermarks.strategy(skew, idleAfter), "broker " + queue);
 * }</pre>
 *
 * The source emits messages undecoded, each with the time its publisher sent it; {@link PublishTimeWatermarks} makes
 * that the timestamp and watermarks of it (the job waits on them when decoding, then assigns event time from the
 * change itself).
 */
public final class BrokerSource implements Source<BrokerRecord, QueueSplit, EnumeratorState>,
        ResultTypeQueryable<BrokerRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSource.class);

    private final BrokerSourceConfig config;

    public BrokerSource(BrokerSourceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public BrokerSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<BrokerRecord, QueueSplit> createReader(SourceReaderContext context) {
        return BrokerSourceReader.create(config, context);
    }

    @Override
    public SplitEnumerator<QueueSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<QueueSplit> context) {
        return enumerator(context);
    }

    /** On a leased queue the enumerator holds the job's lease (on the JobManager: it must reach the broker too). */
    private QueueSplitEnumerator enumerator(SplitEnumeratorContext<QueueSplit> context) {
        String lease = config.lease();
        return new QueueSplitEnumerator(config.queue(), context,
                lease == null ? null : () -> AmqpMessageBus.lease(config.endpoint(), lease));
    }

    @Override
    public SplitEnumerator<QueueSplit, EnumeratorState> restoreEnumerator(SplitEnumeratorContext<QueueSplit> context,
                                                                          EnumeratorState checkpoint) {
        if (!checkpoint.queue().equals(config.queue())) {
            LOG.warn("the checkpoint was taken reading queue {}; this job reads {} (nothing of the old queue is kept:"
                    + " its unacknowledged messages stay there)", checkpoint.queue(), config.queue());
        }
        return enumerator(context);
    }

    @Override
    public SimpleVersionedSerializer<QueueSplit> getSplitSerializer() {
        return new QueueSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
        return new EnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<BrokerRecord> getProducedType() {
        return BrokerRecord.TYPE;
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
