package dev.cdc.spark.job;

import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.progress.ChangeLatency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private long late;
    private long lastBatchId = -1;
    private long lastBatchMillis;
    private int lastSlices;
    private int lastExecutors;
    private long recomputed;
    private long[] lastSteps = new long[3];
    private final Map<String, Long> writtenByTable = new TreeMap<>();
    private final Map<String, Long> deadLettersByType = new TreeMap<>();

    /**
     * @param slices tasks that applied the batch's changes
     * @param executors distinct executors those tasks ran on
     * @param recomputed enriched orders recomputed
     * @param late changes the position guard refused (left out of the latency)
     */
    synchronized void batch(long batchId, int events, int written, int deadLetters, long millis, int slices,
                            int executors, int recomputed, long applyMillis, long recomputeMillis, int late,
                            Map<String, Integer> writtenByTable, List<DeadLetter> letters) {
        writtenByTable.forEach((table, rows) -> this.writtenByTable.merge(table, (long) rows, Long::sum));
        letters.forEach(l -> deadLettersByType.merge(l.errorType().name(), 1L, Long::sum));
        this.late += late;
        batches++;
        if (slices > 0) { // an empty batch (it only commits the one before) ran no task: the last with work is shown
            lastSlices = slices;
            lastExecutors = executors;
            lastSteps = new long[] {applyMillis, recomputeMillis, millis - applyMillis - recomputeMillis};
            lastBatchMillis = millis;
        }
        this.recomputed += recomputed;
        this.events += events;
        this.written += written;
        this.deadLetters += deadLetters;
        lastBatchId = batchId;
    }

    void latency(long millis) {
        latency.record(millis);
    }

    /** A snapshot for the last interval (latency) and the run so far (counts). */
    public synchronized Snapshot snapshot() {
        ChangeLatency.Snapshot l = latency.snapshot();
        return new Snapshot(lastBatchId, batches, events, written, deadLetters, lastBatchMillis, lastSlices, lastExecutors,
                recomputed, lastSteps.clone(), l.encoded(), l.p50(), l.p99(), l.totalP50(), l.totalP99(), l.totalMax(),
                late, Map.copyOf(writtenByTable), Map.copyOf(deadLettersByType));
    }

    /**
     * Latencies in ms; -1 when nothing was measured.
     *
     * @param slices tasks that applied the last batch; {@code executors} the executors they ran on
     * @param steps milliseconds of the last batch with messages: apply, recompute, the driver's rest
     * @param intervalHistogram the interval's latencies (ms), HdrHistogram's compressed form in base64
     */
    public record Snapshot(long lastBatchId, long batches, long events, long written, long deadLetters,
                           long lastBatchMillis, int slices, int executors, long recomputed, long[] steps,
                           String intervalHistogram,
                           long p50, long p99, long totalP50, long totalP99, long totalMax, long late,
                           Map<String, Long> writtenByTable, Map<String, Long> deadLettersByType) {

        /** The form every reader of a consumer's progress parses. */
        public dev.cdc.common.progress.ConsumerProgress progress() {
            return new dev.cdc.common.progress.ConsumerProgress("spark", events, written, deadLetters, 0,
                    new dev.cdc.common.progress.ConsumerProgress.Batches(lastBatchId, batches, lastBatchMillis, slices,
                            executors, recomputed, steps[0], steps[1], steps[2]),
                    null, new dev.cdc.common.progress.ConsumerProgress.Latency(p50, p99, totalP50, totalP99, totalMax,
                            intervalHistogram, late), null, deadLettersByType, writtenByTable, null);
        }

        /** For people. */
        public String line() {
            return progress().summary();
        }
    }
}
