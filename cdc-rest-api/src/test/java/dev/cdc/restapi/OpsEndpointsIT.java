package dev.cdc.restapi;

import static dev.cdc.restapi.ApiClient.TOKEN;
import static dev.cdc.restapi.ApiClient.json;
import static dev.cdc.restapi.Records.array;
import static dev.cdc.restapi.Records.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cdc.common.config.Configuration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, metrics, the OpenAPI description and its page, and where the server listens. */
class OpsEndpointsIT {

    @TempDir
    Path dir;

    RestApiServer server;
    ApiClient api;

    @BeforeEach
    void start() {
        server = RestApiServer.start(RestApiOptions.defaults(TOKEN, dir).withPort(0));
        api = new ApiClient(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthIsUpWhileTheStoreAnswers() {
        HttpResponse<String> r = api.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountRecordsByKindAndStatusAndTimeRequestsByEndpoint() {
        api.post("/api/v1/changes", array(change("SALES.ORDERS", 1, 0), change("SALES.ORDERS", 1, 0), "{\"id\":\"x\"}"));
        api.get("/api/v1/changes/SALES.ORDERS:1:0");

        HttpResponse<String> r = api.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.body())
                .contains("cdc_api_records_total{kind=\"changes\",status=\"stored\"} 1.0")
                .contains("cdc_api_records_total{kind=\"changes\",status=\"duplicate\"} 1.0")
                .contains("cdc_api_records_total{kind=\"changes\",status=\"invalid\"} 1.0")
                .contains("cdc_api_records_total{kind=\"alerts\",status=\"stored\"} 0.0")
                .contains("cdc_api_requests_seconds_bucket{endpoint=\"/api/v1/changes\",method=\"POST\",status=\"200\"")
                .contains("endpoint=\"/api/v1/changes/{id}\",method=\"GET\",status=\"200\"")
                .doesNotContain("SALES.ORDERS:1:0")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theOpenApiDescriptionIsYamlAndDescribesEveryRoute() throws IOException {
        HttpResponse<String> r = api.get("/openapi.yaml");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(r.body());
        assertThat(spec.get("openapi").asText()).startsWith("3.0");

        Map<String, String[]> routes = Map.ofEntries(
                Map.entry("/api/v1/changes", new String[] {"get", "post"}),
                Map.entry("/api/v1/changes/count", new String[] {"get"}),
                Map.entry("/api/v1/changes/{id}", new String[] {"get"}),
                Map.entry("/api/v1/enriched-orders", new String[] {"get", "post"}),
                Map.entry("/api/v1/enriched-orders/count", new String[] {"get"}),
                Map.entry("/api/v1/enriched-orders/{order_id}", new String[] {"get"}),
                Map.entry("/api/v1/alerts", new String[] {"get", "post"}),
                Map.entry("/api/v1/alerts/count", new String[] {"get"}),
                Map.entry("/api/v1/alerts/{id}", new String[] {"get"}),
                Map.entry("/api/v1/stats", new String[] {"get"}),
                Map.entry("/health", new String[] {"get"}),
                Map.entry("/metrics", new String[] {"get"}),
                Map.entry("/openapi.yaml", new String[] {"get"}),
                Map.entry("/docs", new String[] {"get"}),
                Map.entry("/admin/faults", new String[] {"get", "put"}));
        assertThat(spec.get("paths").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrderElementsOf(routes.keySet());
        routes.forEach((path, methods) -> {
            assertThat(spec.get("paths").get(path).properties()).extracting(Map.Entry::getKey).as(path)
                    .containsExactlyInAnyOrder(methods);
            for (String method : methods) {
                assertThat(spec.get("paths").get(path).get(method).get("responses").size()).as(path).isPositive();
            }
        });
        // every $ref points at something the document defines
        for (String ref : spec.findValuesAsText("$ref")) {
            assertThat(spec.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void theDocsPageLoadsSwaggerUiFromTheWebjarOverTheDescription() {
        HttpResponse<String> docs = api.get("/docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(docs.body()).contains("/webjars/swagger-ui/5.27.1/swagger-ui-bundle.js").contains("/openapi.yaml");

        assertThat(api.get("/webjars/swagger-ui/5.27.1/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        assertThat(api.get("/webjars/swagger-ui/5.27.1/swagger-ui.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aPortInUseStopsTheStartWithTheAddress(@TempDir Path other) {
        assertThatThrownBy(() -> RestApiServer.start(RestApiOptions.defaults(TOKEN, other).withPort(server.port())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("api.host/api.port: could not listen on 127.0.0.1:" + server.port());
    }

    @Test
    void byDefaultItListensOnLoopbackOnly() throws IOException {
        assertThat(RestApiOptions.defaults(TOKEN, dir).host()).isEqualTo("127.0.0.1");
        assertThat(RestApiSettings.options(Configuration.empty().with(Map.of("api.token", TOKEN)), dir).host())
                .isEqualTo("127.0.0.1");
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());

        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket s = new Socket()) {
            assertThatThrownBy(
                    () -> s.connect(new InetSocketAddress(external.get(), server.port()), 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
