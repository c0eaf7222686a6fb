package dev.cdc.common.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cdc.common.codec.DebeziumJsonCodec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * What a consumer reports of itself: the one form both architectures print (with {@code --progress json}, a line
 * {@value #PREFIX} and this record as JSON) and every reader parses (the demo, the benchmarks, the scenarios). Counts
 * are the run's so far. What only one engine has is in its own part: {@link Batches} for Spark's micro-batches,
 * {@link Deliveries} for what Flink's sink delivered; the other is null.
 *
 * @param engine {@code spark} or {@code flink}
 * @param events messages consumed (spark) or changes delivered (flink)
 * @param written rows written to the ODS (spark) or records the API accepted (flink)
 * @param deadLetters messages that became dead letters
 * @param retries requests to the target retried (flink; 0 for spark, whose waits are the writer's)
 * @param source what the consumer received from the queue and acknowledged; null where it is not known
 * @param deadLettersByType the dead letters by their error type ({@code DeadLetter.ErrorType}'s names)
 * @param writtenTo what was written by where it went: rows per ODS table (spark), records the API accepted per
 *     endpoint (flink)
 * @param metrics where the consumer serves its metrics in Prometheus' format, or null when it does not
 */
public record ConsumerProgress(String engine, long events, long written, long deadLetters, long retries,
                               Batches batches, Deliveries deliveries, Latency latency, Source source,
                               Map<String, Long> deadLettersByType, Map<String, Long> writtenTo, String metrics) {

    public ConsumerProgress {
        deadLettersByType = deadLettersByType == null ? Map.of() : new TreeMap<>(deadLettersByType);
        writtenTo = writtenTo == null ? Map.of() : new TreeMap<>(writtenTo);
    }

    /** The record with where the consumer serves its metrics. */
    public ConsumerProgress withMetrics(String url) {
        return new ConsumerProgress(engine, events, written, deadLetters, retries, batches, deliveries, latency,
                source, deadLettersByType, writtenTo, url);
    }

    /** The record with what the consumer received from the queue. */
    public ConsumerProgress withSource(Source s) {
        return new ConsumerProgress(engine, events, written, deadLetters, retries, batches, deliveries, latency,
                s, deadLettersByType, writtenTo, metrics);
    }

    /** What starts a progress line on the consumer's standard output. */
    public static final String PREFIX = "PROGRESS ";

    /**
     * Spark's micro-batches.
     *
     * @param last the last batch's id; {@code lastMillis} how long the last batch with messages took
     * @param tasks tasks that applied the last batch that had messages; {@code executors} the executors they ran on
     * @param recomputed enriched orders recomputed so far
     * @param applyMillis where the last batch's time went: its changes applied (the executors' tasks, one job),
     *     {@code recomputeMillis} the queued orders recomputed (a second job), {@code driverMillis} the rest on the
     *     driver (dead letters published, windows closed, the batch recorded)
     */
    public record Batches(long last, long count, long lastMillis, int tasks, int executors, long recomputed,
                          long applyMillis, long recomputeMillis, long driverMillis) {
    }

    /**
     * The consumer's side of the queue, counted where it receives (Spark's driver, Flink's source readers).
     *
     * @param received messages received
     * @param acknowledged messages acknowledged (their batch or checkpoint completed)
     * @param redelivered messages received again: the broker had delivered them before (a restart, a consumer the
     *     broker closed, a failed batch)
     * @param unacknowledgedBytes body bytes received and not yet acknowledged now: what the consumer buffers
     * @param lastCheckpointMillis Flink: how long the last completed checkpoint took, from the source's snapshot to
     *     the completion that acknowledges its messages; -1 for none, and for Spark (its batches' times are in
     *     {@link Batches})
     */
    public record Source(long received, long acknowledged, long redelivered, long unacknowledgedBytes,
                         long lastCheckpointMillis) {

        public static final Source NONE = new Source(0, 0, 0, 0, -1);

        /** Two receivers as one: counts and bytes add up, the checkpoint is the longer. */
        public Source plus(Source o) {
            return new Source(received + o.received, acknowledged + o.acknowledged, redelivered + o.redelivered,
                    unacknowledgedBytes + o.unacknowledgedBytes, Math.max(lastCheckpointMillis, o.lastCheckpointMillis));
        }

        /** The counts only: what a receiver that stopped leaves (what it held went back to the queue). */
        public Source counted() {
            return new Source(received, acknowledged, redelivered, 0, -1);
        }
    }

    /**
     * What Flink's REST sink delivered, by kind; {@code duplicates} were held by the API already; {@code openCircuits}
     * the running sink writers whose circuit to the API is not closed now (it fails or does not answer, and their
     * records wait, unacknowledged); {@code retriesByEndpoint} and {@code refusedByEndpoint} the requests retried and
     * the records the API refused (dead letters), by endpoint ({@code changes}, {@code enriched-orders}, {@code alerts}).
     */
    public record Deliveries(long enrichedOrders, long alerts, long duplicates, long requests, int openCircuits,
                             Map<String, Long> retriesByEndpoint, Map<String, Long> refusedByEndpoint) {

        public Deliveries {
            retriesByEndpoint = retriesByEndpoint == null ? Map.of() : new TreeMap<>(retriesByEndpoint);
            refusedByEndpoint = refusedByEndpoint == null ? Map.of() : new TreeMap<>(refusedByEndpoint);
        }
    }

    /**
     * Change latency in ms, -1 when nothing was measured: {@code p50}/{@code p99} of the last interval, the rest of
     * the run.
     *
     * @param histogram the interval's latencies, HdrHistogram's compressed form in base64 ({@link ChangeLatency})
     * @param late changes of the run left out of the latencies: a newer change of their row had taken effect
     *     already (a re-send, an older change arriving after a newer one), so their age says nothing about the
     *     pipeline (spark: refused by the position guard; flink: held by the API already)
     */
    public record Latency(long p50, long p99, long totalP50, long totalP99, long totalMax, String histogram, long late) {
    }

    /** The progress line: {@value #PREFIX} and the JSON. */
    public String line() {
        try {
            return PREFIX + DebeziumJsonCodec.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a progress record that is not JSON", e);
        }
    }

    /** The record a progress line carries; empty for any other line. */
    public static Optional<ConsumerProgress> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DebeziumJsonCodec.mapper().readValue(line.substring(PREFIX.length()), ConsumerProgress.class));
        } catch (JsonProcessingException e) {
            return Optional.empty(); // a line that only looks like one
        }
    }

    /** For people: what the consumer did, in one line. */
    public String summary() {
        String counts = batches != null
                ? String.format(Locale.ROOT, "batch %d, %,d events (%,d rows written, %,d dead letters), last batch %,d ms"
                        + " (apply %,d, recompute %,d, driver %,d) in %d tasks on %d executors", batches.last(), events,
                        written, deadLetters, batches.lastMillis(), batches.applyMillis(), batches.recomputeMillis(),
                        batches.driverMillis(), batches.tasks(), batches.executors())
                : String.format(Locale.ROOT, "delivered %,d changes, %,d enriched orders, %,d alerts (%,d already held),"
                        + " %,d dead letters, %,d retries", events, deliveries == null ? 0 : deliveries.enrichedOrders(),
                        deliveries == null ? 0 : deliveries.alerts(), deliveries == null ? 0 : deliveries.duplicates(),
                        deadLetters, retries) + (deliveries != null && deliveries.openCircuits() > 0
                        ? String.format(Locale.ROOT, ", circuit to the API open in %d writer%s", deliveries.openCircuits(),
                                deliveries.openCircuits() == 1 ? "" : "s") : "");
        return engine + ": " + counts + ", latency p50 " + ms(latency.p50()) + " p99 " + ms(latency.p99())
                + (latency.late() > 0 ? String.format(Locale.ROOT, " (%,d late changes apart)", latency.late()) : "");
    }

    /** Milliseconds for people; "-" for none. */
    public static String ms(long v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%,d ms", v);
    }
}
