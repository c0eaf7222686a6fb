package dev.cdc.restapi.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The API's Prometheus metrics: {@code cdc_api_records_total{kind,status}}, {@code
 * cdc_api_requests_seconds{method,endpoint,status}} (a histogram), {@code cdc_api_faults_injected_total{type}},
 * and JVM basics. The record counters also give the since-start figures of {@code /api/v1/stats}. Internal.
 */
final class ApiMetrics {

    enum Status {
        STORED, DUPLICATE, INVALID;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RecordKind, Map<Status, Counter>> records = new EnumMap<>(RecordKind.class);
    private final Counter unavailable;
    private final Counter latency;

    ApiMetrics() {
        for (RecordKind kind : RecordKind.values()) {
            Map<Status, Counter> byStatus = new EnumMap<>(Status.class);
            for (Status status : Status.values()) {
                byStatus.put(status, Counter.builder("cdc.api.records")
                        .description("records received, by kind and what became of them")
                        .tag("kind", kind.label()).tag("status", status.label()).register(registry));
            }
            records.put(kind, byStatus);
        }
        unavailable = fault("unavailable");
        latency = fault("latency");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private Counter fault(String type) {
        return Counter.builder("cdc.api.faults.injected").description("faults injected into write requests")
                .tag("type", type).register(registry);
    }

    void records(RecordKind kind, int stored, int duplicates, int invalid) {
        Map<Status, Counter> c = records.get(kind);
        c.get(Status.STORED).increment(stored);
        c.get(Status.DUPLICATE).increment(duplicates);
        c.get(Status.INVALID).increment(invalid);
    }

    void unavailableInjected() {
        unavailable.increment();
    }

    void latencyInjected() {
        latency.increment();
    }

    /** One finished request; {@code endpoint} is the route's path pattern, so ids never become label values. */
    void request(String method, String endpoint, int status, Duration took) {
        Timer.builder("cdc.api.requests").description("HTTP requests, by endpoint")
                .tag("method", method).tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records of every kind with this status since the server started. */
    long sinceStart(Status status) {
        return records.values().stream().mapToLong(c -> (long) c.get(status).count()).sum();
    }

    long sinceStart(RecordKind kind, Status status) {
        return (long) records.get(kind).get(status).count();
    }

    String scrape() {
        return registry.scrape();
    }
}
