package dev.cdc.common.progress;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latency of applied changes, source commit to effect (ODS commit, API acceptance), in milliseconds: what each
 * engine records and reports, and what {@code ./cdc} merges from the reports. Recording is thread-safe and cheap
 * (HdrHistogram's recorder); each {@link #snapshot} closes an interval.
 */
public final class ChangeLatency {

    private static final long HIGHEST = TimeUnit.HOURS.toMillis(1);

    private final Recorder interval = new Recorder(HIGHEST, 3);
    private final Histogram total = new Histogram(HIGHEST, 3);

    /** A new, empty histogram of the same range and precision (for merging reports). */
    public static Histogram histogram() {
        return new Histogram(HIGHEST, 3);
    }

    /** Records one change's latency (clamped to 0 .. 1 hour). */
    public void record(long millis) {
        interval.recordValue(Math.max(0, Math.min(millis, HIGHEST)));
    }

    /** The interval since the last snapshot, and the run so far; latencies -1 when none was measured. */
    public synchronized Snapshot snapshot() {
        Histogram last = interval.getIntervalHistogram();
        total.add(last);
        return new Snapshot(percentile(last, 50), percentile(last, 99), percentile(total, 50), percentile(total, 99),
                total.getTotalCount() == 0 ? -1 : total.getMaxValue(), encode(last));
    }

    /** Latencies in the form reports carry: HdrHistogram's compressed form in base64 ({@link #decode}). */
    public static String encode(AbstractHistogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /**
     * @param encoded the interval's latencies, HdrHistogram's compressed form in base64 ({@link #decode})
     */
    public record Snapshot(long p50, long p99, long totalP50, long totalP99, long totalMax, String encoded) {
    }

    /** An interval's latencies from a report's {@link Snapshot#encoded} form. */
    public static Histogram decode(String encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a latency histogram that does not decode: " + e.getMessage(), e);
        }
    }

    /** A percentile in ms, -1 when nothing was measured. */
    public static long percentile(AbstractHistogram h, double p) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(p);
    }
}
