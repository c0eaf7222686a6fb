package dev.cdc.restapi;

import static dev.cdc.restapi.ApiClient.TOKEN;
import static dev.cdc.restapi.ApiClient.json;
import static dev.cdc.restapi.Records.changes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.restapi.client.ReceivedReader;
import dev.cdc.restapi.http.Faults;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults injected into writes for failure tests, switched at run time, and the graceful close. */
class FaultInjectionIT {

    @TempDir
    Path dir;

    RestApiOptions options() {
        return RestApiOptions.defaults(TOKEN, dir).withPort(0);
    }

    @Test
    void atRatioOneEveryWriteIs503UntilTheRatioIsBackToZero() throws Exception {
        try (RestApiServer server = RestApiServer.start(options())) {
            ApiClient api = new ApiClient(server.baseUrl());
            ReceivedReader reader = new ReceivedReader(server.baseUrl());
            HttpResponse<String> set = api.put("/admin/faults", "{\"unavailable_ratio\": 1.0}", TOKEN);
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(json(set).get("unavailable_ratio").asDouble()).isEqualTo(1.0);

            for (String path : List.of("/api/v1/changes", "/api/v1/enriched-orders", "/api/v1/alerts")) {
                HttpResponse<String> r = api.post(path, changes(1, 3));
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(json(r).get("error").asText()).isEqualTo("unavailable (injected)");
            }
            assertThat(api.get("/api/v1/changes").statusCode()).as("reads are never faulted").isEqualTo(200);
            assertThat(api.get("/health").statusCode()).isEqualTo(200);
            assertThat(reader.changeCount()).isZero();
            assertThat(api.get("/metrics").body()).contains("cdc_api_faults_injected_total{type=\"unavailable\"} 3.0");

            assertThat(api.put("/admin/faults", "{\"unavailable_ratio\": 0}", TOKEN).statusCode()).isEqualTo(200);
            assertThat(api.post("/api/v1/changes", changes(1, 3)).statusCode()).isEqualTo(200);
            assertThat(reader.changeCount()).isEqualTo(3);
        }
    }

    @Test
    void theInjectedRandomSourceDecidesWhichWritesFail() throws Exception {
        RandomGenerator scripted = new Scripted(0.49, 0.51, 0.99, 0.0);
        try (RestApiServer server = RestApiServer.start(options().withFaults(new Faults(0.5, Duration.ZERO, 0)), scripted)) {
            ApiClient api = new ApiClient(server.baseUrl());
            assertThat(List.of(1, 2, 3, 4)).map(i -> api.post("/api/v1/changes", changes(i, 1)).statusCode())
                    .containsExactly(503, 200, 200, 503);
            assertThat(new ReceivedReader(server.baseUrl()).changeCount()).isEqualTo(2);
        }
    }

    @Test
    void injectedLatencyDelaysTheAnswerOfAWriteThatIsStored() throws Exception {
        Faults slow = new Faults(0, Duration.ofMillis(700), 1.0);
        try (RestApiServer server = RestApiServer.start(options().withFaults(slow))) {
            ApiClient api = new ApiClient(server.baseUrl());
            long start = System.nanoTime();
            HttpResponse<String> r = api.post("/api/v1/changes", changes(1, 2));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("stored").asInt()).isEqualTo(2);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(api.get("/metrics").body()).contains("cdc_api_faults_injected_total{type=\"latency\"} 1.0");

            assertThat(api.put("/admin/faults", "{\"latency_ratio\": 0}", TOKEN).statusCode()).isEqualTo(200);
            assertThat(json(api.get("/admin/faults", TOKEN)).get("latency_ms").asLong()).isEqualTo(700);
            assertThat(json(api.post("/api/v1/changes", changes(3, 1))).get("stored").asInt()).isEqualTo(1);
            assertThat(api.get("/metrics").body()).contains("cdc_api_faults_injected_total{type=\"latency\"} 1.0");
        }
    }

    @Test
    void theFaultsAdminNeedsTheTokenAndRefusesBadValues() {
        try (RestApiServer server = RestApiServer.start(options())) {
            ApiClient api = new ApiClient(server.baseUrl());
            assertThat(api.get("/admin/faults").statusCode()).isEqualTo(401);
            assertThat(api.put("/admin/faults", "{\"unavailable_ratio\": 1}", "wrong").statusCode()).isEqualTo(401);
            assertThat(json(api.get("/admin/faults", TOKEN)).get("unavailable_ratio").asDouble()).isZero();

            for (String body : List.of("{\"unavailable_ratio\": 1.5}", "{\"latency_ratio\": -0.1}",
                    "{\"latency_ms\": -1}", "{\"latency_ms\": 1.5}", "{\"unavailable_ratio\": \"all\"}",
                    "{\"unavailble_ratio\": 1}", "[]", "nope")) {
                HttpResponse<String> r = api.put("/admin/faults", body, TOKEN);
                assertThat(r.statusCode()).as(body).isEqualTo(400);
                assertThat(json(r).get("error").asText()).as(body).isNotBlank();
            }
            assertThat(json(api.get("/admin/faults", TOKEN)).get("unavailable_ratio").asDouble()).isZero();
        }
    }

    @Test
    void closeLetsAWriteInProgressFinishWhileRefusingNewOnes() throws Exception {
        RestApiServer server = RestApiServer.start(options().withFaults(new Faults(0, Duration.ofSeconds(3), 1.0)));
        ApiClient api = new ApiClient(server.baseUrl());
        CompletableFuture<HttpResponse<String>> inProgress = api.postAsync("/api/v1/changes", changes(1, 5));
        await("the write to be stored").atMost(Duration.ofSeconds(10)).until(() ->
                json(api.get("/api/v1/changes/count")).get("count").asInt() == 5);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await("the server to refuse new writes").atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/health").statusCode() == 503);
        assertThat(json(api.get("/health")).get("reason").asText()).isEqualTo("shutting down");
        HttpResponse<String> refused = api.post("/api/v1/changes", changes(100, 1));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

        assertThat(inProgress.get().statusCode()).isEqualTo(200);
        closing.get();
    }

    /** Draws the given doubles in turn. */
    static final class Scripted implements RandomGenerator {

        private final Deque<Double> draws = new ArrayDeque<>();

        Scripted(double... draws) {
            for (double d : draws) {
                this.draws.add(d);
            }
        }

        @Override
        public double nextDouble() {
            return draws.remove();
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only doubles are drawn");
        }
    }
}
