package dev.cdc.flink.sink;

import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.flink.job.ApiRecord;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What sink writers delivered so far, summed: counts and every measured change latency (ms). Successive totals make
 * the consumer's progress line ({@link #progressSince}): the interval's latencies are the difference of two totals.
 * {@code openCircuits} is a state, not a count: the writers whose circuit to the API is open now.
 */
public record DeliveryTotals(long changes, long enrichedOrders, long alerts, long duplicates, long deadLetters,
                             long retries, long requests, long lateChanges, Histogram latency, int openCircuits,
                             Map<String, Long> deadLettersByType, Map<String, Long> retriesByEndpoint,
                             Map<String, Long> refusedByEndpoint) {

    public static final DeliveryTotals NONE = of(new long[DeliveryCounts.COUNTERS.size()], ChangeLatency.histogram(), 0,
            Map.of(), Map.of(), Map.of());

    public DeliveryTotals {
        deadLettersByType = Map.copyOf(deadLettersByType);
        retriesByEndpoint = Map.copyOf(retriesByEndpoint);
        refusedByEndpoint = Map.copyOf(refusedByEndpoint);
    }

    /** From counts in {@link DeliveryCounts#COUNTERS}' order. */
    public static DeliveryTotals of(long[] counts, Histogram latency, int openCircuits, Map<String, Long> deadLettersByType,
                                    Map<String, Long> retriesByEndpoint, Map<String, Long> refusedByEndpoint) {
        return new DeliveryTotals(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7],
                latency, openCircuits, deadLettersByType, retriesByEndpoint, refusedByEndpoint);
    }

    public DeliveryTotals plus(DeliveryTotals o) {
        Histogram sum = latency.copy();
        sum.add(o.latency);
        return new DeliveryTotals(changes + o.changes, enrichedOrders + o.enrichedOrders, alerts + o.alerts,
                duplicates + o.duplicates, deadLetters + o.deadLetters, retries + o.retries, requests + o.requests,
                lateChanges + o.lateChanges, sum, openCircuits + o.openCircuits, merged(deadLettersByType, o.deadLettersByType),
                merged(retriesByEndpoint, o.retriesByEndpoint), merged(refusedByEndpoint, o.refusedByEndpoint));
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return sum;
    }

    /** The counts without the state: what a writer that stopped leaves to the totals. */
    public DeliveryTotals counted() {
        return new DeliveryTotals(changes, enrichedOrders, alerts, duplicates, deadLetters, retries, requests,
                lateChanges, latency, 0, deadLettersByType, retriesByEndpoint, refusedByEndpoint);
    }

    /** The progress line's record: these totals, latencies of the interval since {@code previous} and of the run. */
    public ConsumerProgress progressSince(DeliveryTotals previous) {
        Histogram interval = latency.copy();
        try {
            interval.subtract(previous.latency);
        } catch (IllegalArgumentException notContained) {
            interval = latency.copy(); // totals that did not grow from previous (none so far): the run's latencies
        }
        return new ConsumerProgress("flink", changes, changes + enrichedOrders + alerts, deadLetters, retries, null,
                new ConsumerProgress.Deliveries(enrichedOrders, alerts, duplicates, requests, openCircuits,
                        retriesByEndpoint, refusedByEndpoint),
                new ConsumerProgress.Latency(ChangeLatency.percentile(interval, 50), ChangeLatency.percentile(interval, 99),
                        ChangeLatency.percentile(latency, 50), ChangeLatency.percentile(latency, 99),
                        latency.getTotalCount() == 0 ? -1 : latency.getMaxValue(), ChangeLatency.encode(interval),
                        lateChanges), null, deadLettersByType,
                Map.of(ApiRecord.CHANGE, changes, ApiRecord.ENRICHED_ORDER, enrichedOrders, ApiRecord.ALERT, alerts), null);
    }
}
