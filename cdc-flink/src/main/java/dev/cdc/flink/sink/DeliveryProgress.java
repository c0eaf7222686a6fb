package dev.cdc.flink.sink;

import dev.cdc.common.progress.ChangeLatency;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the REST sinks of this JVM delivered: records accepted per kind, duplicates, dead letters, retries, and the
 * latency of each change (not the initial snapshot's bulk load) from its source commit time to the API's 2xx. One per JVM, so the local mini-cluster's
 * progress line sums every subtask; on a Flink cluster the same numbers are the sink's metrics.
 */
public final class DeliveryProgress {

    private static final DeliveryProgress JVM = new DeliveryProgress();

    private final ChangeLatency latency = new ChangeLatency();
    final LongAdder changes = new LongAdder();
    final LongAdder enrichedOrders = new LongAdder();
    final LongAdder alerts = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder requests = new LongAdder();

    public static DeliveryProgress jvm() {
        return JVM;
    }

    void latency(long millis) {
        latency.record(millis);
    }

    /** Counts dead letters raised before the sink (decoding, XML), so one line shows them all. */
    public void deadLetter() {
        deadLetters.increment();
    }

    /** Requests retried so far (5xx, timeouts, an open circuit). */
    public long retries() {
        return retries.sum();
    }

    /** The interval's latencies (reset by this call) and the run's totals. */
    public Snapshot snapshot() {
        ChangeLatency.Snapshot l = latency.snapshot();
        return new Snapshot(changes.sum(), enrichedOrders.sum(), alerts.sum(), duplicates.sum(), deadLetters.sum(),
                retries.sum(), requests.sum(), l.p50(), l.p99(), l.totalP50(), l.totalP99(), l.totalMax(), l.encoded());
    }

    /**
     * Counts so far; latencies in ms (-1 when none was measured): {@code p50}/{@code p99} of the interval,
     * {@code total...} of the run.
     *
     * @param histogram the interval's latencies, HdrHistogram's compressed form in base64
     */
    public record Snapshot(long changes, long enrichedOrders, long alerts, long duplicates, long deadLetters, long retries,
                           long requests, long p50, long p99, long totalP50, long totalP99, long totalMax,
                           String histogram) {

        /** The form every reader of a consumer's progress parses. */
        public dev.cdc.common.progress.ConsumerProgress progress() {
            return new dev.cdc.common.progress.ConsumerProgress("flink", changes, changes + enrichedOrders + alerts,
                    deadLetters, retries, null,
                    new dev.cdc.common.progress.ConsumerProgress.Deliveries(enrichedOrders, alerts, duplicates, requests),
                    new dev.cdc.common.progress.ConsumerProgress.Latency(p50, p99, totalP50, totalP99, totalMax, histogram));
        }

        /** One line for people. */
        public String line() {
            return progress().summary();
        }
    }
}
