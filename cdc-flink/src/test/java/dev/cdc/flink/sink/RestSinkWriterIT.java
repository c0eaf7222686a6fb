package dev.cdc.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.config.Configuration;
import dev.cdc.flink.job.ApiRecord;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.restapi.RestApiOptions;
import dev.cdc.restapi.RestApiServer;
import dev.cdc.restapi.client.ReceivedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST sink's writer against the real REST API and the embedded broker (its DLQ topics): what the core's fault
 * policy makes of an outage, of a batch the API refuses and of a record it answers invalid.
 */
class RestSinkWriterIT {

    private static final String TOKEN = "it-token";
    private static final String TOPIC = "cdc/oracle/SALES/ORDERS";

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private RestApiServer api;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start("127.0.0.1", unused(), dir.resolve("broker"), 64L << 20);
        broker.provision(new QueueSpec("cdc.dlq", List.of(TopicSubscription.parse("cdc/dlq/>")), 5, "cdc.dead", 16L << 20));
        api = RestApiServer.start(RestApiOptions.defaults(TOKEN, dir.resolve("api")).withPort(0));
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anOutageIsWaitedOutByFlushAndOnlyTheRecordsTheApiRefusesBecomeDeadLetters() throws Exception {
        List<ApiRecord> records = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            records.add(order(i, "{\"id\":\"o" + i + "#v\",\"order_id\":" + i + ",\"deleted\":false}"));
        }
        records.add(7, order(100, "42")); // not an object: the API refuses any batch holding it (400)
        records.add(order(101, "{\"id\":\"o101#v\",\"deleted\":false}")); // no order_id: answered invalid
        faults(1.0);
        long retriesBefore = DeliveryProgress.jvm().retries();
        DeliveryTotals before = DeliveryProgress.jvm().totals();
        try (RestSinkWriter writer = writer()) {
            for (ApiRecord r : records) {
                writer.write(r, null);
            }
            CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
                try {
                    writer.flush(false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // far past the 30 attempts after which records used to become dead letters
            await().atMost(Duration.ofMinutes(1)).until(() -> DeliveryProgress.jvm().retries() >= retriesBefore + 60);
            assertThat(checkpoint).as("the checkpoint waits: nothing may be acknowledged").isNotDone();
            assertThat(broker.depth("cdc.dlq")).as("an outage makes no dead letters").isZero();
            assertThat(new ReceivedReader(api.baseUrl()).enrichedOrders()).isEmpty();

            faults(0.0);
            checkpoint.get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        Map<String, JsonNode> received = new ReceivedReader(api.baseUrl()).enrichedOrders();
        assertThat(received.keySet()).as("every good record, the refused batch's included")
                .hasSize(20).doesNotContain("100", "101");
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.depth("cdc.dlq") == 2);
        // the same as the metrics say it: the retries and the refusals were the enriched orders' endpoint's
        DeliveryTotals after = DeliveryProgress.jvm().totals();
        String endpoint = ApiRecord.ENRICHED_ORDER;
        assertThat(after.retriesByEndpoint().get(endpoint) - before.retriesByEndpoint().getOrDefault(endpoint, 0L))
                .isEqualTo(after.retries() - before.retries()).isGreaterThanOrEqualTo(60);
        assertThat(after.refusedByEndpoint().get(endpoint) - before.refusedByEndpoint().getOrDefault(endpoint, 0L))
                .isEqualTo(2);
        assertThat(after.deadLettersByType().get("UNDELIVERABLE") - before.deadLettersByType().getOrDefault("UNDELIVERABLE", 0L))
                .isEqualTo(2);
    }

    private RestSinkWriter writer() {
        RestSinkSettings settings = RestSinkSettings.from(Configuration.empty().with(Map.of(
                "sink.rest.url", api.baseUrl(), "sink.rest.token", TOKEN, "sink.rest.retry.initial-delay", "10ms",
                "sink.rest.retry.max-delay", "50ms", "sink.rest.circuit.open-for", "100ms")));
        return new RestSinkWriter(settings, new ApiClient(settings.url(), TOKEN, Duration.ofSeconds(10)),
                DeadLetterChannel.forSubtask(Map.of("broker.port", Integer.toString(broker.port()),
                        "dlq.spill-dir", dir.resolve("spill").toString()), "rest", 0), "it",
                new TestProcessingTimeService(), UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private static ApiRecord order(int key, String json) {
        return ApiRecord.of(ApiRecord.ENRICHED_ORDER, "o" + key + "#v", Integer.toString(key),
                json.getBytes(StandardCharsets.UTF_8), 0, TOPIC);
    }

    private void faults(double unavailableRatio) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/admin/faults"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"unavailable_ratio\":" + unavailableRatio
                        + ",\"latency_ms\":0,\"latency_ratio\":0.0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static int unused() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
