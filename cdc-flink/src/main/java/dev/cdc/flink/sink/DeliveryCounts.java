package dev.cdc.flink.sink;

import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.flink.job.ApiRecord;
import dev.cdc.flink.job.DeadLetterRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * What one sink writer delivered, counted once and read two ways: registered under the writer's metric group
 * {@value #GROUP} (what a Flink cluster's REST API serves, read by {@code ClusterDelivery}) and with
 * {@link DeliveryProgress#jvm()} (the local mini-cluster's progress line). Counters are thread-safe: the REST sink
 * counts on its sender threads.
 */
public final class DeliveryCounts {

    /** The metric subgroup the counts are registered under. */
    public static final String GROUP = "delivery";
    /** The counters' metric names, in {@link DeliveryTotals}' order. */
    public static final List<String> COUNTERS = List.of("changes", "enrichedOrders", "alerts", "duplicates",
            "deadLetters", "retries", "requests", "lateChanges");
    /** A gauge: every latency this writer measured, {@link ChangeLatency#encode} form, so a reader merges them exactly. */
    public static final String LATENCY = "latencyHistogram";
    /** A gauge: a random number naming this writer; a new one on the same subtask means it restarted from zero. */
    public static final String INSTANCE = "writerInstance";
    /** The subgroup of the dead letters by error type: one counter per {@link DeadLetter.ErrorType}. */
    public static final String DEAD_LETTERS_BY_TYPE = "deadLettersByType";
    /** The subgroups of requests retried and records refused, by endpoint: one counter per record kind. */
    public static final String RETRIES_BY_ENDPOINT = "retriesByEndpoint";
    public static final String REFUSED_BY_ENDPOINT = "refusedByEndpoint";
    /** A gauge: 1 while this writer's circuit to the API is not closed (the API fails or does not answer), else 0. */
    public static final String OPEN_CIRCUIT = "circuitOpen";

    final Counter changes = new ThreadSafeSimpleCounter();
    final Counter enrichedOrders = new ThreadSafeSimpleCounter();
    final Counter alerts = new ThreadSafeSimpleCounter();
    final Counter duplicates = new ThreadSafeSimpleCounter();
    final Counter deadLetters = new ThreadSafeSimpleCounter();
    final Counter retries = new ThreadSafeSimpleCounter();
    final Counter requests = new ThreadSafeSimpleCounter();
    /** Changes the API held already (a re-send): delivered, but left out of the latency. */
    final Counter lateChanges = new ThreadSafeSimpleCounter();
    private final SynchronizedHistogram latency = new SynchronizedHistogram(ChangeLatency.histogram());
    private final Map<String, Counter> deadLettersByType = new TreeMap<>();
    private final Map<String, Counter> retriesByEndpoint = new TreeMap<>();
    private final Map<String, Counter> refusedByEndpoint = new TreeMap<>();
    private volatile BooleanSupplier circuitOpen = () -> false;
    private volatile boolean closed;

    private DeliveryCounts() {
    }

    /** A writer's counts, registered under {@code writerGroup} and in this JVM's {@link DeliveryProgress}. */
    public static DeliveryCounts register(MetricGroup writerGroup) {
        DeliveryCounts counts = new DeliveryCounts();
        MetricGroup group = writerGroup.addGroup(GROUP);
        List<Counter> all = counts.counters();
        for (int i = 0; i < COUNTERS.size(); i++) {
            group.counter(COUNTERS.get(i), all.get(i));
        }
        long instance = ThreadLocalRandom.current().nextLong();
        group.gauge(INSTANCE, () -> instance);
        group.gauge(LATENCY, () -> ChangeLatency.encode(counts.latency));
        group.gauge(OPEN_CIRCUIT, () -> counts.circuitOpen() ? 1 : 0);
        MetricGroup retried = group.addGroup(RETRIES_BY_ENDPOINT);
        MetricGroup refused = group.addGroup(REFUSED_BY_ENDPOINT);
        for (String kind : ApiRecord.KINDS) {
            counts.retriesByEndpoint.put(kind, retried.counter(kind, new ThreadSafeSimpleCounter()));
            counts.refusedByEndpoint.put(kind, refused.counter(kind, new ThreadSafeSimpleCounter()));
        }
        MetricGroup byType = group.addGroup(DEAD_LETTERS_BY_TYPE);
        for (DeadLetter.ErrorType type : DeadLetter.ErrorType.values()) {
            counts.deadLettersByType.put(type.name(), byType.counter(type.name(), new ThreadSafeSimpleCounter()));
        }
        DeliveryProgress.jvm().add(counts);
        return counts;
    }

    /** Dead letters this writer sent, counted in all and by their error type. */
    void deadLetters(List<DeadLetterRecord> letters) {
        deadLetters.inc(letters.size());
        for (DeadLetterRecord letter : letters) {
            deadLettersByType.get(letter.errorType).inc();
        }
    }

    /** A request to one endpoint retried (counted in all too). */
    void retried(String endpoint) {
        retries.inc();
        retriesByEndpoint.get(endpoint).inc();
    }

    /** Records one endpoint refused as bad: dead letters, counted as such too. */
    void refused(String endpoint, List<DeadLetterRecord> letters) {
        deadLetters(letters);
        refusedByEndpoint.get(endpoint).inc(letters.size());
    }

    /** The writer's circuit to the API, watched while the writer runs. */
    void circuit(BooleanSupplier open) {
        circuitOpen = open;
    }

    /** The writer stopped: its counts stay, its circuit no longer says anything. */
    void closed() {
        closed = true;
    }

    boolean circuitOpen() {
        return !closed && circuitOpen.getAsBoolean();
    }

    void latency(long millis) {
        latency.recordValue(Math.max(0, Math.min(millis, latency.getHighestTrackableValue())));
    }

    private List<Counter> counters() {
        return List.of(changes, enrichedOrders, alerts, duplicates, deadLetters, retries, requests, lateChanges);
    }

    /** What this writer counted so far. */
    DeliveryTotals totals() {
        long[] values = counters().stream().mapToLong(Counter::getCount).toArray();
        return DeliveryTotals.of(values, latency.copy(), circuitOpen() ? 1 : 0, counts(deadLettersByType),
                counts(retriesByEndpoint), counts(refusedByEndpoint));
    }

    private static Map<String, Long> counts(Map<String, Counter> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, c) -> out.put(k, c.getCount()));
        return out;
    }
}
