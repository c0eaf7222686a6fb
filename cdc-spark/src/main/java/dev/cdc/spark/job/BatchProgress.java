package dev.cdc.spark.job;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the pipeline has done: batches, events, dead letters, and the latency of each applied change (not the
 * initial snapshot's rows) from its source commit time to its transaction committing in the ODS. Intervals are
 * reported and reset; totals accumulate.
 */
public final class BatchProgress {

    private final Recorder latency = new Recorder(TimeUnit.HOURS.toMillis(1), 3);
    private final Histogram total = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
    private long batches;
    private long events;
    private long written;
    private long deadLetters;
    private long lastBatchId = -1;
    private long lastBatchMillis;

    synchronized void batch(long batchId, int events, int written, int deadLetters, long millis) {
        batches++;
        this.events += events;
        this.written += written;
        this.deadLetters += deadLetters;
        lastBatchId = batchId;
        lastBatchMillis = millis;
    }

    void latency(long millis) {
        latency.recordValue(Math.max(0, Math.min(millis, TimeUnit.HOURS.toMillis(1))));
    }

    /** A snapshot for the last interval (latency) and the run so far (counts). */
    public synchronized Snapshot snapshot() {
        Histogram interval = latency.getIntervalHistogram();
        total.add(interval);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(interval.getNeededByteBufferCapacity());
        int length = interval.encodeIntoCompressedByteBuffer(buffer);
        String encoded = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
        return new Snapshot(lastBatchId, batches, events, written, deadLetters, lastBatchMillis, encoded,
                interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(50),
                interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(99),
                total.getTotalCount() == 0 ? -1 : total.getValueAtPercentile(50),
                total.getTotalCount() == 0 ? -1 : total.getValueAtPercentile(99),
                total.getTotalCount() == 0 ? -1 : total.getMaxValue());
    }

    /** Latencies in ms; -1 when nothing was measured. */
    /** @param intervalHistogram the interval's latencies (ms), HdrHistogram's compressed form in base64 */
    public record Snapshot(long lastBatchId, long batches, long events, long written, long deadLetters,
                           long lastBatchMillis, String intervalHistogram, long p50, long p99, long totalP50,
                           long totalP99, long totalMax) {

        public String json() {
            return String.format(Locale.ROOT, "{\"batch\":%d,\"batches\":%d,\"events\":%d,\"written\":%d,\"dead_letters\":%d,"
                            + "\"batch_ms\":%d,\"p50_ms\":%d,\"p99_ms\":%d,\"total_p50_ms\":%d,\"total_p99_ms\":%d,\"total_max_ms\":%d,"
                            + "\"histogram\":\"%s\"}",
                    lastBatchId, batches, events, written, deadLetters, lastBatchMillis, p50, p99, totalP50, totalP99, totalMax,
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
