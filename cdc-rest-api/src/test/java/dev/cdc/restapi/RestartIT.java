package dev.cdc.restapi;

import static dev.cdc.restapi.ApiClient.TOKEN;
import static dev.cdc.restapi.ApiClient.json;
import static dev.cdc.restapi.Records.alert;
import static dev.cdc.restapi.Records.array;
import static dev.cdc.restapi.Records.changes;
import static dev.cdc.restapi.Records.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.restapi.client.ReceivedReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durability contract: what a 2xx acknowledged survives the API's own restart, kill -9 included. */
class RestartIT {

    @TempDir
    Path dir;

    @Test
    void whatWasAcknowledgedSurvivesARestartAndReplaysAreStillDuplicates() throws Exception {
        RestApiOptions options = RestApiOptions.defaults(TOKEN, dir).withPort(0);
        String batch = changes(1, 300);
        try (RestApiServer server = RestApiServer.start(options)) {
            ApiClient api = new ApiClient(server.baseUrl());
            assertThat(json(api.post("/api/v1/changes", batch)).get("stored").asInt()).isEqualTo(300);
            api.post("/api/v1/enriched-orders", array(order(1, "v1", false), order(2, "v1", false), order(2, "v2", true)));
            api.post("/api/v1/alerts", array(alert("big-order", 1)));
        }

        try (RestApiServer server = RestApiServer.start(options)) {
            ApiClient api = new ApiClient(server.baseUrl());
            ReceivedReader reader = new ReceivedReader(server.baseUrl());
            assertThat(reader.changeCount()).isEqualTo(300);
            assertThat(reader.changes()).extracting(c -> c.get("id").asText()).startsWith("SALES.ORDERS:1:0").hasSize(300);
            assertThat(reader.enrichedOrders()).containsOnlyKeys("1");
            assertThat(json(api.get("/api/v1/enriched-orders/count?deleted=true")).get("count").asInt()).isEqualTo(2);
            assertThat(reader.alertCount()).isEqualTo(1);

            JsonNode replay = json(api.post("/api/v1/changes", batch));
            assertThat(replay.get("duplicates").asInt()).isEqualTo(300);
            assertThat(json(api.post("/api/v1/enriched-orders", array(order(1, "v1", false)))).get("duplicates").asInt()).isEqualTo(1);
            assertThat(json(api.post("/api/v1/alerts", array(alert("big-order", 1)))).get("duplicates").asInt()).isEqualTo(1);
            assertThat(reader.changeCount()).isEqualTo(300);
        }
    }

    @Test
    void whatWasAcknowledgedSurvivesKillNine() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName(), dir.toString(), TOKEN).redirectErrorStream(true).start();
        try {
            AtomicReference<String> port = new AtomicReference<>();
            Thread output = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("PORT=")) {
                            port.set(line.substring(5));
                        }
                    }
                } catch (IOException e) {
                    // the process was killed
                }
            });
            output.setDaemon(true);
            output.start();
            await("the child server to listen").atMost(Duration.ofSeconds(60)).until(() -> port.get() != null || !child.isAlive());
            assertThat(child.isAlive()).as("child server started").isTrue();

            ApiClient api = new ApiClient("http://127.0.0.1:" + port.get());
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/api/v1/changes", changes(i * 1000L, 200)).statusCode()).isEqualTo(200);
            }
            api.post("/api/v1/enriched-orders", array(order(7, "v1", false)));

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        try (RestApiServer server = RestApiServer.start(RestApiOptions.defaults(TOKEN, dir).withPort(0))) {
            ReceivedReader reader = new ReceivedReader(server.baseUrl());
            assertThat(reader.changeCount()).isEqualTo(1000);
            assertThat(reader.enrichedOrders()).containsOnlyKeys("7");
            JsonNode replay = json(new ApiClient(server.baseUrl()).post("/api/v1/changes", changes(4000, 200)));
            assertThat(replay.get("duplicates").asInt()).isEqualTo(200);
            assertThat(reader.stats().changes()).isEqualTo(1000);
        }
    }
}
