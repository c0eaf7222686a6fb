package dev.cdc.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    private static ConsumerProgress spark(long events, long deadLetters, long late, long... latenciesMs) {
        ChangeLatency latency = new ChangeLatency();
        for (long ms : latenciesMs) {
            latency.record(ms);
        }
        ChangeLatency.Snapshot l = latency.snapshot();
        return new ConsumerProgress("spark", events, events - deadLetters, deadLetters, 0,
                new ConsumerProgress.Batches(3, 4, 250, 2, 2, 40, 150, 80, 20), null,
                new ConsumerProgress.Latency(l.p50(), l.p99(), l.totalP50(), l.totalP99(), l.totalMax(), l.encoded(), late),
                new ConsumerProgress.Source(events + 5, events, 5, 4_096, -1),
                Map.of("MALFORMED_JSON", deadLetters), Map.of("cdc_orders", events - deadLetters), null);
    }

    @Test
    void aScrapeCarriesTheProgressCountsAndEveryIntervalsLatencies() {
        ConsumerMetrics metrics = new ConsumerMetrics("spark");
        metrics.update(spark(1_000, 3, 0, 120, 250, 900));
        metrics.update(spark(2_500, 4, 7, 300, 4_000));
        PrometheusText text = PrometheusText.parse(metrics.scrape());
        Map<String, String> spark = Map.of("engine", "spark");
        assertThat(text.type("cdc_consumer_events_total")).isEqualTo("counter");
        assertThat(text.value("cdc_consumer_events_total", spark)).contains(2_500.0);
        assertThat(text.value("cdc_consumer_dead_letters_total", spark)).contains(4.0);
        assertThat(text.value("cdc_consumer_late_changes_total", spark)).contains(7.0);
        assertThat(text.value("cdc_consumer_dead_letters_by_type_total", Map.of("engine", "spark", "error_type",
                "MALFORMED_JSON"))).contains(4.0);
        assertThat(text.value("cdc_consumer_dead_letters_by_type_total", Map.of("engine", "spark", "error_type",
                "MALFORMED_XML"))).as("every type is served, a zero as a zero").contains(0.0);
        assertThat(text.value("cdc_consumer_received_messages_total", spark)).contains(2_505.0);
        assertThat(text.value("cdc_consumer_acknowledged_messages_total", spark)).contains(2_500.0);
        assertThat(text.value("cdc_consumer_redelivered_messages_total", spark)).contains(5.0);
        assertThat(text.value("cdc_consumer_unacknowledged_bytes", spark)).contains(4_096.0);
        assertThat(text.value("cdc_consumer_written_to_total", Map.of("engine", "spark", "target", "cdc_orders")))
                .contains(2_496.0);
        assertThat(text.value("cdc_spark_batches_total", spark)).contains(4.0);
        assertThat(text.value("cdc_spark_last_batch_seconds", spark)).contains(0.25);
        assertThat(text.type("cdc_change_latency_seconds")).isEqualTo("histogram");
        assertThat(text.value("cdc_change_latency_seconds_count", spark)).as("both intervals, each once").contains(5.0);
        assertThat(text.value("cdc_change_latency_seconds_sum", spark).orElseThrow()).isBetween(5.5, 5.6);
        assertThat(text.value("cdc_change_latency_seconds_bucket", Map.of("engine", "spark", "le", "+Inf"))).contains(5.0);
    }

    @Test
    void flinksDeliveriesAreServedByEndpointWithTheCircuitsOpenNow() {
        ConsumerMetrics metrics = new ConsumerMetrics("flink");
        metrics.update(new ConsumerProgress("flink", 100, 130, 2, 7, null,
                new ConsumerProgress.Deliveries(20, 10, 0, 40, 1, Map.of("changes", 5L, "alerts", 2L),
                        Map.of("changes", 2L, "alerts", 0L)),
                new ConsumerProgress.Latency(-1, -1, -1, -1, -1, "", 0), null,
                Map.of("UNDELIVERABLE", 2L), Map.of("changes", 100L, "enriched-orders", 20L, "alerts", 10L), null));

        PrometheusText text = PrometheusText.parse(metrics.scrape());

        assertThat(text.value("cdc_flink_open_circuits", Map.of("engine", "flink"))).contains(1.0);
        assertThat(text.value("cdc_flink_retries_by_endpoint_total", Map.of("engine", "flink", "endpoint", "changes")))
                .contains(5.0);
        assertThat(text.value("cdc_flink_refused_by_endpoint_total", Map.of("engine", "flink", "endpoint", "changes")))
                .contains(2.0);
        assertThat(text.sum("cdc_consumer_written_to_total")).isEqualTo(130.0);
        assertThat(text.value("cdc_consumer_dead_letters_by_type_total", Map.of("engine", "flink", "error_type",
                "UNDELIVERABLE"))).contains(2.0);
    }

    @Test
    void theEndpointServesTheScrapeOnLoopbackAndATakenPortIsAClearError() throws Exception {
        ConsumerMetrics metrics = new ConsumerMetrics("flink");
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics::scrape)) {
            assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/metrics");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(PrometheusText.parse(r.body()).value("cdc_consumer_events_total", Map.of("engine", "flink")))
                    .contains(0.0);
        }
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", taken.getLocalPort(), metrics::scrape))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort()).hasMessageContaining("taken");
        }
    }

    @Test
    void theReaderRefusesWhatPrometheusWould() {
        assertThatThrownBy(() -> PrometheusText.parse("cdc_x_total 1\n")).hasMessageContaining("before its TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE cdc_x counter\ncdc_x{a=b} 1\n")).hasMessageContaining("labels");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE cdc_x gauge\ncdc_x one\n")).hasMessageContaining("not a number");
        assertThat(PrometheusText.parse("# HELP cdc_x a gauge\n# TYPE cdc_x gauge\ncdc_x{a=\"q\\\"x\",b=\"2\"} +Inf\n")
                .value("cdc_x", Map.of("a", "q\"x"))).contains(Double.POSITIVE_INFINITY);
    }
}
