package dev.cdc.flink.sink;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the REST sinks of this JVM delivered: records accepted per kind, duplicates, dead letters, retries, and the
 * latency of each change (not the initial snapshot's bulk load) from its source commit time to the API's 2xx. One per JVM, so the local mini-cluster's
 * progress line sums every subtask; on a Flink cluster the same numbers are the sink's metrics.
 */
public final class DeliveryProgress {

    private static final DeliveryProgress JVM = new DeliveryProgress();

    private final Recorder latency = new Recorder(TimeUnit.HOURS.toMillis(1), 3);
    private final Histogram total = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
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
        latency.recordValue(Math.max(0, Math.min(millis, TimeUnit.HOURS.toMillis(1))));
    }

    /** Counts dead letters raised before the sink (decoding, XML), so one line shows them all. */
    public void deadLetter() {
        deadLetters.increment();
    }

    /** Requests retried so far (5xx, timeouts, an open circuit). */
    public long retries() {
        return retries.sum();
    }

    /** The interval's latencies and the run's totals, as one JSON object (the form ./cdc reads). */
    public synchronized String json() {
        Histogram interval = latency.getIntervalHistogram();
        total.add(interval);
        ByteBuffer buffer = ByteBuffer.allocate(interval.getNeededByteBufferCapacity());
        int length = interval.encodeIntoCompressedByteBuffer(buffer);
        String encoded = Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
        return String.format(Locale.ROOT, "{\"events\":%d,\"written\":%d,\"enriched_orders\":%d,\"alerts\":%d,"
                        + "\"duplicates\":%d,\"dead_letters\":%d,\"retries\":%d,\"requests\":%d,\"p50_ms\":%d,\"p99_ms\":%d,"
                        + "\"total_p50_ms\":%d,\"total_p99_ms\":%d,\"total_max_ms\":%d,\"histogram\":\"%s\"}",
                changes.sum(), changes.sum() + enrichedOrders.sum() + alerts.sum(), enrichedOrders.sum(), alerts.sum(),
                duplicates.sum(), deadLetters.sum(), retries.sum(), requests.sum(),
                percentile(interval, 50), percentile(interval, 99), percentile(total, 50), percentile(total, 99),
                total.getTotalCount() == 0 ? -1 : total.getMaxValue(), encoded);
    }

    private static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(p);
    }
}
