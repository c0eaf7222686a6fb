package dev.cdc.flink.sink;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the sink writers of this JVM delivered: the sum of their {@link DeliveryCounts}. In the local mini-cluster it
 * is the job's progress, every subtask and every restart included; on a Flink cluster each TaskManager has its own,
 * and the client reads the same counts from the writers' metrics instead.
 */
public final class DeliveryProgress {

    private static final DeliveryProgress JVM = new DeliveryProgress();

    /** Every writer this JVM started (a few per job attempt; kept so a restart does not lose what they counted). */
    private final Queue<DeliveryCounts> writers = new ConcurrentLinkedQueue<>();

    public static DeliveryProgress jvm() {
        return JVM;
    }

    void add(DeliveryCounts counts) {
        writers.add(counts);
    }

    /** Requests retried so far (5xx, timeouts, an open circuit). */
    public long retries() {
        return writers.stream().mapToLong(w -> w.retries.getCount()).sum();
    }

    /** What every writer of this JVM delivered so far. */
    public DeliveryTotals totals() {
        DeliveryTotals sum = DeliveryTotals.NONE;
        for (DeliveryCounts w : writers) {
            sum = sum.plus(w.totals());
        }
        return sum;
    }
}
