package dev.cdc.spark.job;

import dev.cdc.common.progress.ChangeLatency;
import java.util.Locale;

/**
 * What the pipeline has done: batches, events, dead letters, and the latency of each applied change (not the
 * initial snapshot's rows) from its source commit time to its transaction committing in the ODS. Intervals are
 * reported and reset; totals accumulate.
 */
public final class BatchProgress {

    private final ChangeLatency latency = new ChangeLatency();
    private long batches;
    private long events;
    private long written;
    private long deadLetters;
    private long lastBatchId = -1;
    private long lastBatchMillis;
    private int lastSlices;
    private int lastExecutors;
    private long recomputed;

    /**
     * @param slices tasks that applied the batch's changes
     * @param executors distinct executors those tasks ran on
     * @param recomputed enriched orders recomputed
     */
    synchronized void batch(long batchId, int events, int written, int deadLetters, long millis, int slices,
                            int executors, int recomputed) {
        batches++;
        if (slices > 0) { // an empty batch (it only commits the one before) ran no task
            lastSlices = slices;
            lastExecutors = executors;
        }
        this.recomputed += recomputed;
        this.events += events;
        this.written += written;
        this.deadLetters += deadLetters;
        lastBatchId = batchId;
        lastBatchMillis = millis;
    }

    void latency(long millis) {
        latency.record(millis);
    }

    /** A snapshot for the last interval (latency) and the run so far (counts). */
    public synchronized Snapshot snapshot() {
        ChangeLatency.Snapshot l = latency.snapshot();
        return new Snapshot(lastBatchId, batches, events, written, deadLetters, lastBatchMillis, lastSlices, lastExecutors,
                recomputed, l.encoded(), l.p50(), l.p99(), l.totalP50(), l.totalP99(), l.totalMax());
    }

    /**
     * Latencies in ms; -1 when nothing was measured.
     *
     * @param slices tasks that applied the last batch; {@code executors} the executors they ran on
     * @param intervalHistogram the interval's latencies (ms), HdrHistogram's compressed form in base64
     */
    public record Snapshot(long lastBatchId, long batches, long events, long written, long deadLetters,
                           long lastBatchMillis, int slices, int executors, long recomputed, String intervalHistogram,
                           long p50, long p99, long totalP50, long totalP99, long totalMax) {

        public String json() {
            return String.format(Locale.ROOT, "{\"batch\":%d,\"batches\":%d,\"events\":%d,\"written\":%d,\"dead_letters\":%d,"
                            + "\"batch_ms\":%d,\"slices\":%d,\"executors\":%d,\"recomputed\":%d,\"p50_ms\":%d,\"p99_ms\":%d,\"total_p50_ms\":%d,\"total_p99_ms\":%d,\"total_max_ms\":%d,"
                            + "\"histogram\":\"%s\"}",
                    lastBatchId, batches, events, written, deadLetters, lastBatchMillis, slices, executors, recomputed, p50, p99,
                    totalP50, totalP99, totalMax,
                    intervalHistogram);
        }

        public String line() {
            return String.format(Locale.ROOT, "spark: batch %d, %,d events (%,d rows written, %,d dead letters), last batch %,d ms,"
                    + " latency p50 %s p99 %s", lastBatchId, events, written, deadLetters, lastBatchMillis, ms(p50), ms(p99));
        }

        private static String ms(long v) {
            return v < 0 ? "-" : String.format(Locale.ROOT, "%,d ms", v);
        }
    }
}
