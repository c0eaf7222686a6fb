package dev.cdc.restapi;

import static dev.cdc.restapi.ApiClient.TOKEN;
import static dev.cdc.restapi.ApiClient.json;
import static dev.cdc.restapi.Records.alert;
import static dev.cdc.restapi.Records.array;
import static dev.cdc.restapi.Records.change;
import static dev.cdc.restapi.Records.changes;
import static dev.cdc.restapi.Records.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.restapi.client.ReceivedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read side: cursor paging, filters, counts, and the errors of bad queries and unknown paths. */
class ReadEndpointsIT {

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
    void pagingWithTheCursorReturnsEveryChangeOnceInArrivalOrder() throws Exception {
        // arrival order, not id order: SCNs posted high first
        api.post("/api/v1/changes", changes(2000, 1200));
        api.post("/api/v1/changes", changes(1, 1300));
        api.post("/api/v1/changes", changes(1, 10)); // replays, not listed twice
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 1200).forEach(i -> expected.add("SALES.ORDERS:" + (2000 + i) + ":0"));
        IntStream.range(0, 1300).forEach(i -> expected.add("SALES.ORDERS:" + (1 + i) + ":0"));

        ReceivedReader reader = new ReceivedReader(URI.create(server.baseUrl()), HttpClient.newHttpClient(),
                Duration.ofSeconds(30), 700);
        List<String> ids = new ArrayList<>();
        reader.forEachChange(null, c -> ids.add(c.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(expected);
        assertThat(reader.changes()).hasSize(2500);

        JsonNode first = json(api.get("/api/v1/changes?limit=1000"));
        assertThat(first.get("items")).hasSize(1000);
        assertThat(first.get("next").isTextual()).isTrue();
        JsonNode third = json(api.get("/api/v1/changes?limit=1000&after="
                + json(api.get("/api/v1/changes?limit=1000&after=" + first.get("next").asText())).get("next").asText()));
        assertThat(third.get("items")).hasSize(500);
        assertThat(third.get("next").isNull()).isTrue();
        assertThat(json(api.get("/api/v1/changes")).get("items")).hasSize(1000); // the default limit
    }

    @Test
    void listingsAndCountsFilterByTableAndRule() throws Exception {
        api.post("/api/v1/changes", array(change("SALES.ORDERS", 1, 0), change("SALES.CUSTOMERS", 2, 0),
                change("SALES.ORDERS", 3, 0)));
        api.post("/api/v1/alerts", array(alert("big-order", 1), alert("vip", 2), alert("big-order", 3)));
        ReceivedReader reader = new ReceivedReader(server.baseUrl());

        List<String> orders = new ArrayList<>();
        reader.forEachChange("SALES.ORDERS", c -> orders.add(c.get("id").asText()));
        assertThat(orders).containsExactly("SALES.ORDERS:1:0", "SALES.ORDERS:3:0");
        assertThat(reader.changeCount("SALES.CUSTOMERS")).isEqualTo(1);
        assertThat(reader.changeCount()).isEqualTo(3);

        List<String> big = new ArrayList<>();
        reader.forEachAlert("big-order", a -> big.add(a.get("id").asText()));
        assertThat(big).containsExactly("big-order:SALES.ORDERS:1:0", "big-order:SALES.ORDERS:3:0");
        assertThat(reader.alertCount("vip")).isEqualTo(1);
        assertThat(reader.alerts()).hasSize(3);
        assertThat(reader.alert("vip:SALES.ORDERS:2:0")).hasValueSatisfying(a -> assertThat(a.get("rule").asText()).isEqualTo("vip"));
        assertThat(reader.change("SALES.CUSTOMERS:2:0")).isPresent();
        assertThat(reader.change("SALES.CUSTOMERS:2:1")).isEmpty();
    }

    @Test
    void enrichedOrdersPageByOrderAndTheReaderKeysThemByOrderId() throws Exception {
        List<String> batch = new ArrayList<>();
        IntStream.range(0, 25).forEach(i -> batch.add(order(5000 + i, "v1", false)));
        api.post("/api/v1/enriched-orders", array(batch));
        ReceivedReader reader = new ReceivedReader(URI.create(server.baseUrl()), HttpClient.newHttpClient(),
                Duration.ofSeconds(30), 10);

        assertThat(reader.enrichedOrders()).hasSize(25).containsKeys("5000", "5024");
        assertThat(reader.enrichedOrder("5007")).hasValueSatisfying(o -> assertThat(o.get("order_id").asInt()).isEqualTo(5007));
        ReceivedReader.Stats stats = reader.stats();
        assertThat(stats.enrichedOrders()).isEqualTo(25);
        assertThat(stats.changes()).isZero();
    }

    @Test
    void badQueriesAre400WithTheReason() {
        for (String query : List.of("/api/v1/changes?limit=0", "/api/v1/changes?limit=10001", "/api/v1/alerts?limit=x",
                "/api/v1/changes?after=abc", "/api/v1/alerts?after=-4", "/api/v1/enriched-orders?deleted=maybe")) {
            HttpResponse<String> r = api.get(query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(query).containsAnyOf("limit", "after", "deleted");
        }
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() {
        HttpResponse<String> unknown = api.get("/api/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isNotBlank();

        HttpResponse<String> wrongMethod = api.post("/health", "[]");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).get("error").asText()).isNotBlank();
    }

    @Test
    void statsCountWhatIsHeldAndWhatWasRejectedSinceStart() throws Exception {
        api.post("/api/v1/changes", array(change("SALES.ORDERS", 1, 0), change("SALES.ORDERS", 1, 0), "{\"id\":\"x\"}"));
        api.post("/api/v1/alerts", array(alert("big-order", 1)));
        JsonNode stats = json(api.get("/api/v1/stats"));
        assertThat(stats.get("changes").asLong()).isEqualTo(1);
        assertThat(stats.get("alerts").asLong()).isEqualTo(1);
        assertThat(stats.get("duplicates").asLong()).isEqualTo(1);
        assertThat(stats.get("invalid").asLong()).isEqualTo(1);
        assertThat(stats.at("/since_start/changes/stored").asLong()).isEqualTo(1);
        assertThat(stats.at("/since_start/alerts/stored").asLong()).isEqualTo(1);
        assertThat(stats.get("started_at").asText()).isNotBlank();
    }
}
