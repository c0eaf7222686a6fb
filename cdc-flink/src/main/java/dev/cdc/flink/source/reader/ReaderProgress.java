package dev.cdc.flink.source.reader;

import dev.cdc.common.progress.ConsumerProgress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the source readers of this JVM received and acknowledged: the sum of their {@link ReaderMetrics}. In the
 * local mini-cluster it is the job's, every subtask and restart included (as {@code DeliveryProgress} is for the
 * sinks); on a Flink cluster each TaskManager has its own, and the readers' {@code broker} metric group is where
 * to look.
 */
public final class ReaderProgress {

    /** The readers' metric subgroup, and the names in it a client reads on a cluster. */
    public static final String GROUP = "broker";
    public static final String RECEIVED = "messagesReceived";
    public static final String ACKNOWLEDGED = "messagesAcknowledged";
    public static final String REDELIVERED = "messagesRedelivered";
    public static final String UNACKNOWLEDGED_BYTES = "bytesUnacknowledged";
    public static final String LAST_CHECKPOINT = "lastCheckpointMillis";
    /** A gauge: a random number naming the reader; a new one on the same subtask means it restarted from zero. */
    public static final String INSTANCE = "readerInstance";

    private static final ReaderProgress JVM = new ReaderProgress();

    /** Every reader this JVM started, kept so a restarted job does not lose what they counted. */
    private final Queue<ReaderMetrics> readers = new ConcurrentLinkedQueue<>();

    private ReaderProgress() {
    }

    public static ReaderProgress jvm() {
        return JVM;
    }

    void add(ReaderMetrics reader) {
        readers.add(reader);
    }

    public ConsumerProgress.Source snapshot() {
        ConsumerProgress.Source sum = ConsumerProgress.Source.NONE;
        for (ReaderMetrics r : readers) {
            sum = sum.plus(r.source());
        }
        return sum;
    }
}
