package dev.cdc.common.metrics;

import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A consumer's figures in Prometheus' text format, made from the same {@link ConsumerProgress} records its progress
 * line prints, so the line, the demo and a scrape never disagree. Counts follow the last record (they only grow);
 * the change latency is a histogram fed with each interval's latencies. Names follow Prometheus' conventions:
 * {@code cdc_} prefix, units in the name, {@code _total} for counters, and an {@code engine} label.
 */
public final class ConsumerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<ConsumerProgress> last = new AtomicReference<>();
    private final Timer latency;
    private final Tags tags;
    /** The targets (ODS tables, API endpoints) with a counter so far: a table can appear with a schema change. */
    private final Set<String> targets = ConcurrentHashMap.newKeySet();
    /** The REST API's endpoints with counters so far (Flink). */
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();

    public ConsumerMetrics(String engine) {
        Tags tags = Tags.of("engine", engine);
        this.tags = tags;
        counter("cdc_consumer_events", "messages consumed (spark) or changes delivered (flink)", tags, ConsumerProgress::events);
        counter("cdc_consumer_written", "rows written to the ODS (spark) or records the REST API accepted (flink)", tags,
                ConsumerProgress::written);
        counter("cdc_consumer_dead_letters", "messages that became dead letters", tags, ConsumerProgress::deadLetters);
        counter("cdc_consumer_retries", "requests to the target retried", tags, ConsumerProgress::retries);
        counter("cdc_consumer_received_messages", "messages received from the queue", tags,
                p -> p.source() == null ? 0 : p.source().received());
        counter("cdc_consumer_acknowledged_messages", "messages acknowledged on the broker (their batch or checkpoint"
                + " completed)", tags, p -> p.source() == null ? 0 : p.source().acknowledged());
        counter("cdc_consumer_redelivered_messages", "messages received again: the broker had delivered them before",
                tags, p -> p.source() == null ? 0 : p.source().redelivered());
        gauge("cdc_consumer_unacknowledged_bytes", "body bytes received and not yet acknowledged: what the consumer"
                + " buffers", tags, p -> p.source() == null ? 0 : p.source().unacknowledgedBytes());
        gauge("cdc_flink_last_checkpoint_seconds", "how long the last completed checkpoint took, from the source's"
                + " snapshot to the completion that acknowledges its messages", tags,
                p -> p.source() == null || p.source().lastCheckpointMillis() < 0 ? 0 : p.source().lastCheckpointMillis() / 1000.0);
        for (DeadLetter.ErrorType type : DeadLetter.ErrorType.values()) { // every type, so a zero is a zero, not a gap
            counter("cdc_consumer_dead_letters_by_type", "dead letters by their error type", tags.and("error_type",
                    type.name()), p -> p.deadLettersByType().getOrDefault(type.name(), 0L));
        }
        counter("cdc_consumer_late_changes", "changes left out of the latency: a newer change of their row had taken"
                + " effect already (a re-send, an older change after a newer one)", tags, p -> p.latency().late());
        counter("cdc_spark_batches", "micro-batches run", tags, p -> p.batches() == null ? 0 : p.batches().count());
        counter("cdc_spark_recomputed_orders", "enriched orders recomputed", tags,
                p -> p.batches() == null ? 0 : p.batches().recomputed());
        gauge("cdc_spark_last_batch_seconds", "how long the last micro-batch with messages took", tags,
                p -> p.batches() == null ? 0 : p.batches().lastMillis() / 1000.0);
        gauge("cdc_spark_last_batch_tasks", "tasks that applied the last micro-batch with messages", tags,
                p -> p.batches() == null ? 0 : p.batches().tasks());
        counter("cdc_flink_enriched_orders", "enriched orders the REST API accepted", tags,
                p -> p.deliveries() == null ? 0 : p.deliveries().enrichedOrders());
        counter("cdc_flink_alerts", "alerts the REST API accepted", tags,
                p -> p.deliveries() == null ? 0 : p.deliveries().alerts());
        counter("cdc_flink_duplicates", "records the REST API held already", tags,
                p -> p.deliveries() == null ? 0 : p.deliveries().duplicates());
        counter("cdc_flink_requests", "requests sent to the REST API", tags,
                p -> p.deliveries() == null ? 0 : p.deliveries().requests());
        gauge("cdc_flink_open_circuits", "sink writers whose circuit to the REST API is open now: the API fails or"
                + " does not answer, and their records wait unacknowledged", tags,
                p -> p.deliveries() == null ? 0 : p.deliveries().openCircuits());
        latency = Timer.builder("cdc_change_latency").description("source commit to effect (ODS commit, API acceptance)"
                        + " of the changes after the snapshot").tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    /** Takes a consumer's latest progress: its counts, and the latencies of its interval. */
    public void update(ConsumerProgress progress) {
        last.set(progress);
        for (String target : progress.writtenTo().keySet()) {
            if (targets.add(target)) {
                counter("cdc_consumer_written_to", "rows written per ODS table (spark), records the REST API accepted"
                        + " per endpoint (flink)", tags.and("target", target), p -> p.writtenTo().getOrDefault(target, 0L));
            }
        }
        ConsumerProgress.Deliveries d = progress.deliveries();
        if (d != null) {
            for (String endpoint : d.retriesByEndpoint().keySet()) {
                if (endpoints.add(endpoint)) {
                    Tags at = tags.and("endpoint", endpoint);
                    counter("cdc_flink_retries_by_endpoint", "requests to the REST API retried, by endpoint", at,
                            p -> p.deliveries() == null ? 0 : p.deliveries().retriesByEndpoint().getOrDefault(endpoint, 0L));
                    counter("cdc_flink_refused_by_endpoint", "records the REST API refused as bad (dead letters), by"
                            + " endpoint", at, p -> p.deliveries() == null ? 0
                            : p.deliveries().refusedByEndpoint().getOrDefault(endpoint, 0L));
                }
            }
        }
        String encoded = progress.latency().histogram();
        if (encoded != null && !encoded.isEmpty()) {
            Histogram interval = ChangeLatency.decode(encoded);
            for (HistogramIterationValue v : interval.recordedValues()) {
                for (long i = 0; i < v.getCountAtValueIteratedTo(); i++) {
                    latency.record(v.getValueIteratedTo(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private void counter(String name, String help, Tags tags, ToDoubleFunction<ConsumerProgress> value) {
        // Micrometer adds "_total" to a counter's name in the Prometheus format
        FunctionCounter.builder(name, last, l -> l.get() == null ? 0 : value.applyAsDouble(l.get()))
                .description(help).tags(tags).register(registry);
    }

    private void gauge(String name, String help, Tags tags, ToDoubleFunction<ConsumerProgress> value) {
        Gauge.builder(name, last, l -> l.get() == null ? 0 : value.applyAsDouble(l.get()))
                .description(help).tags(tags).register(registry);
    }
}
