package dev.cdc.spark.source;

import dev.cdc.common.progress.ConsumerProgress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the driver's queue consumers of this JVM received and acknowledged. One per JVM, as {@link SourcePause}: a
 * consumer the broker closed, or a query started again, gets a new {@link MessageBuffer}, and the counts go on.
 * Spark shows them in each batch's progress ({@code sources[].metrics}, {@link BrokerMicroBatchStream#metrics}); the
 * consumer's progress line and metrics read the same counters.
 */
public final class SourceCounts {

    private static final SourceCounts JVM = new SourceCounts();

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong unacknowledgedBytes = new AtomicLong();

    private SourceCounts() {
    }

    public static SourceCounts jvm() {
        return JVM;
    }

    void received(int bytes, boolean again) {
        received.incrementAndGet();
        if (again) {
            redelivered.incrementAndGet();
        }
        unacknowledgedBytes.addAndGet(bytes);
    }

    void acknowledged(int messages, long bytes) {
        acknowledged.addAndGet(messages);
        unacknowledgedBytes.addAndGet(-bytes);
    }

    /** Messages given back unacknowledged (their consumer closed): the broker delivers them again. */
    void released(long bytes) {
        unacknowledgedBytes.addAndGet(-bytes);
    }

    public ConsumerProgress.Source snapshot() {
        return new ConsumerProgress.Source(received.get(), acknowledged.get(), redelivered.get(),
                Math.max(0, unacknowledgedBytes.get()), -1);
    }

    /** For Spark's progress: the same figures, as strings. */
    Map<String, String> asSparkMetrics() {
        ConsumerProgress.Source s = snapshot();
        return Map.of("receivedMessages", Long.toString(s.received()), "acknowledgedMessages",
                Long.toString(s.acknowledged()), "redeliveredMessages", Long.toString(s.redelivered()),
                "unacknowledgedBytes", Long.toString(s.unacknowledgedBytes()));
    }
}
