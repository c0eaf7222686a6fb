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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write contract: auth, idempotency by id, per-record validation, the replace rule of enriched orders, limits. */
class WriteEndpointsIT {

    @TempDir
    Path dir;

    RestApiServer server;
    ApiClient api;
    ReceivedReader reader;

    @BeforeEach
    void start() {
        server = RestApiServer.start(RestApiOptions.defaults(TOKEN, dir).withPort(0).withMaxBatch(50)
                .withMaxBodyBytes(16 * 1024));
        api = new ApiClient(server.baseUrl());
        reader = new ReceivedReader(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void writesWithoutTheRightBearerTokenAre401AndStoreNothing() throws Exception {
        for (String token : new String[] {null, "wrong-token", TOKEN + "x", ""}) {
            HttpResponse<String> r = api.post("/api/v1/changes", changes(1, 2), token);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(json(r).get("error").asText()).isNotBlank();
            assertThat(r.body()).doesNotContain(TOKEN);
        }
        HttpResponse<String> basic = api.send(api.request("/api/v1/alerts", null)
                .header("Authorization", "Basic " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("[]")).build());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(reader.changeCount()).isZero();

        assertThat(api.post("/api/v1/changes", changes(1, 2)).statusCode()).isEqualTo(200);
        assertThat(reader.changeCount()).isEqualTo(2);
    }

    @Test
    void aReplayedBatchIsAllDuplicateAndStoredOnce() throws Exception {
        String batch = changes(100, 3);
        JsonNode first = json(api.post("/api/v1/changes", batch));
        assertThat(first.get("stored").asInt()).isEqualTo(3);
        assertThat(first.get("duplicates").asInt()).isZero();
        assertThat(first.get("invalid").asInt()).isZero();
        assertThat(statuses(first)).containsExactly("stored", "stored", "stored");
        assertThat(first.get("results").get(0).get("id").asText()).isEqualTo("SALES.ORDERS:100:0");

        JsonNode replay = json(api.post("/api/v1/changes", batch));
        assertThat(replay.get("stored").asInt()).isZero();
        assertThat(replay.get("duplicates").asInt()).isEqualTo(3);
        assertThat(statuses(replay)).containsExactly("duplicate", "duplicate", "duplicate");
        assertThat(reader.changeCount()).isEqualTo(3);
        assertThat(reader.stats().duplicates()).isEqualTo(3);
    }

    @Test
    void theSameIdTwiceInOneBatchIsStoredThenDuplicate() throws Exception {
        String c = change("SALES.ORDERS", 7, 1);
        JsonNode r = json(api.post("/api/v1/changes", array(c, change("SALES.ORDERS", 8, 0), c)));
        assertThat(statuses(r)).containsExactly("stored", "stored", "duplicate");
        assertThat(reader.changeCount()).isEqualTo(2);

        String a = alert("big-order", 7);
        assertThat(statuses(json(api.post("/api/v1/alerts", array(a, a))))).containsExactly("stored", "duplicate");
        assertThat(reader.alertCount()).isEqualTo(1);
    }

    @Test
    void invalidRecordsAreReportedWithTheirReasonAndTheRestOfTheBatchIsStored() throws Exception {
        String tooLong = "x".repeat(257);
        JsonNode r = json(api.post("/api/v1/changes", array(
                change("SALES.ORDERS", 1, 0),
                "{\"table\":\"SALES.ORDERS\"}",
                "{\"id\":42,\"table\":\"SALES.ORDERS\"}",
                "{\"id\":\"\",\"table\":\"SALES.ORDERS\"}",
                "{\"id\":\"" + tooLong + "\",\"table\":\"SALES.ORDERS\"}",
                "{\"id\":\"no-table\"}",
                "{\"id\":\"x\",\"table\":\"\"}",
                change("SALES.ORDERS", 2, 0))));

        assertThat(r.get("stored").asInt()).isEqualTo(2);
        assertThat(r.get("invalid").asInt()).isEqualTo(6);
        assertThat(statuses(r)).containsExactly("stored", "invalid", "invalid", "invalid", "invalid", "invalid",
                "invalid", "stored");
        JsonNode results = r.get("results");
        assertThat(results.get(1).get("reason").asText()).isEqualTo("id is missing");
        assertThat(results.get(1).get("id").isNull()).isTrue();
        assertThat(results.get(2).get("reason").asText()).isEqualTo("id must be a string");
        assertThat(results.get(3).get("reason").asText()).isEqualTo("id must not be empty");
        assertThat(results.get(4).get("reason").asText()).isEqualTo("id is longer than 256 characters");
        assertThat(results.get(5).get("reason").asText()).isEqualTo("table is missing");
        assertThat(results.get(5).get("id").asText()).isEqualTo("no-table");
        assertThat(results.get(6).get("reason").asText()).isEqualTo("table must be a non-empty string");
        assertThat(results.get(0).has("reason")).isFalse();
        assertThat(reader.changeCount()).isEqualTo(2);
        assertThat(reader.stats().invalid()).isEqualTo(6);

        JsonNode alerts = json(api.post("/api/v1/alerts", array("{\"id\":\"a1\"}", alert("big-order", 1))));
        assertThat(statuses(alerts)).containsExactly("invalid", "stored");
        assertThat(alerts.get("results").get(0).get("reason").asText()).isEqualTo("rule is missing");

        JsonNode orders = json(api.post("/api/v1/enriched-orders", array("{\"id\":\"o1\"}",
                "{\"id\":\"o2\",\"order_id\":\"\"}", "{\"id\":\"o3\",\"order_id\":{}}",
                "{\"id\":\"o4\",\"order_id\":5,\"deleted\":\"yes\"}", order(5, "v1", false))));
        assertThat(statuses(orders)).containsExactly("invalid", "invalid", "invalid", "invalid", "stored");
        assertThat(orders.get("results").findValuesAsText("reason")).containsExactly("order_id is missing",
                "order_id must be a number or a non-empty string", "order_id must be a number or a non-empty string",
                "deleted must be true or false");
    }

    @Test
    void aRecordIsKeptExactlyAsItWasReceived() throws Exception {
        String raw = "{ \"id\" : \"SALES.ORDERS:9:0\",\"table\":\"SALES.ORDERS\", \"after\": {\"TOTAL\": 12.50,"
                + " \"BIG\": 123456789012345678901234567890, \"NAME\": \"Zoë 東京 🚀\"} }";
        assertThat(api.post("/api/v1/changes", "[\n  " + raw + "\n]").statusCode()).isEqualTo(200);

        HttpResponse<String> one = api.get("/api/v1/changes/SALES.ORDERS%3A9%3A0");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(raw);
        assertThat(api.get("/api/v1/changes").body()).isEqualTo("{\"items\":[" + raw + "],\"next\":null}");
        assertThat(api.get("/api/v1/changes/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void anEnrichedOrderReplacesWhatItsOrderHoldsAndTheSameIdIsADuplicate() throws Exception {
        JsonNode first = json(api.post("/api/v1/enriched-orders", array(order(1001, "v1", false), order(1002, "v1", false))));
        assertThat(statuses(first)).containsExactly("stored", "stored");

        JsonNode second = json(api.post("/api/v1/enriched-orders", array(order(1001, "v2", false))));
        assertThat(statuses(second)).containsExactly("stored");
        assertThat(reader.enrichedOrderCount()).isEqualTo(2);
        assertThat(reader.enrichedOrders().get("1001").get("id").asText()).isEqualTo("1001#v2");

        // the sender retries what it already sent: nothing changes
        JsonNode replay = json(api.post("/api/v1/enriched-orders", array(order(1001, "v2", false))));
        assertThat(statuses(replay)).containsExactly("duplicate");
        assertThat(reader.enrichedOrders().get("1001").get("id").asText()).isEqualTo("1001#v2");

        // an order_id sent as a string is the same order
        assertThat(statuses(json(api.post("/api/v1/enriched-orders", array(order("1002", "v2", false))))))
                .containsExactly("stored");
        assertThat(reader.enrichedOrderCount()).isEqualTo(2);
        assertThat(reader.enrichedOrders().get("1002").get("order_id").isTextual()).isTrue();

        JsonNode delete = json(api.post("/api/v1/enriched-orders", array(order(1001, "v3", true))));
        assertThat(statuses(delete)).containsExactly("stored");
        assertThat(reader.enrichedOrderCount()).isEqualTo(1);
        assertThat(reader.enrichedOrders()).containsOnlyKeys("1002");
        assertThat(reader.enrichedOrder("1001")).isEmpty();
        assertThat(api.get("/api/v1/enriched-orders/1001").statusCode()).isEqualTo(404);
        assertThat(json(api.get("/api/v1/enriched-orders/1001?deleted=true")).get("deleted").asBoolean()).isTrue();
        assertThat(json(api.get("/api/v1/enriched-orders/count?deleted=true")).get("count").asLong()).isEqualTo(2);
        assertThat(json(api.get("/api/v1/enriched-orders?deleted=true")).get("items")).hasSize(2);
        assertThat(reader.stats().enrichedOrdersDeleted()).isEqualTo(1);

        // a deleted order can come back
        assertThat(statuses(json(api.post("/api/v1/enriched-orders", array(order(1001, "v4", false))))))
                .containsExactly("stored");
        assertThat(reader.enrichedOrders()).containsOnlyKeys("1001", "1002");
    }

    @Test
    void aBodyThatIsNotAJsonArrayOfObjectsIs400() throws Exception {
        for (String body : List.of("{\"id\":\"a\",\"table\":\"T\"}", "[1, 2]", "[{\"id\":\"a\",\"table\":\"T\"}, \"x\"]",
                "not json", "", "[{\"id\":\"a\",\"table\":\"T\"}", "[] []", "[{\"id\":\"a\",\"table\":\"T\",}]")) {
            HttpResponse<String> r = api.post("/api/v1/changes", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(json(r).get("error").asText()).as(body).isNotBlank().doesNotContain("Exception");
        }
        assertThat(reader.changeCount()).isZero();
        assertThat(api.post("/api/v1/changes", "[]").statusCode()).isEqualTo(200);
    }

    @Test
    void moreRecordsThanTheBatchLimitIs400AndNothingIsStored() throws Exception {
        HttpResponse<String> r = api.post("/api/v1/changes", changes(1, 51));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("more than 50 records");
        assertThat(reader.changeCount()).isZero();
        assertThat(api.post("/api/v1/changes", changes(1, 50)).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheSizeLimitIs413() throws Exception {
        String big = array(List.of("{\"id\":\"big\",\"table\":\"SALES.ORDERS\",\"pad\":\"" + "x".repeat(20 * 1024) + "\"}"));
        HttpResponse<String> r = api.post("/api/v1/changes", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("16384 bytes");
        assertThat(reader.changeCount()).isZero();

        String justFits = array(List.of("{\"id\":\"fits\",\"table\":\"SALES.ORDERS\",\"pad\":\"" + "x".repeat(16 * 1024 - 60) + "\"}"));
        assertThat(justFits.length()).isLessThanOrEqualTo(16 * 1024);
        assertThat(api.post("/api/v1/changes", justFits).statusCode()).isEqualTo(200);
    }

    @Test
    void aContentTypeOtherThanJsonIs415() {
        HttpResponse<String> r = api.send(api.request("/api/v1/changes", TOKEN).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(changes(1, 1))).build());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).contains("application/json");
    }

    @Test
    void concurrentOverlappingBatchesStoreEachRecordExactlyOnce() throws Exception {
        List<String> records = IntStream.range(0, 40).mapToObj(i -> change("SALES.ORDERS", i, 0)).toList();
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            List<String> shuffled = new ArrayList<>(records);
            Collections.shuffle(shuffled, new Random(client));
            posts.add(api.postAsync("/api/v1/changes", array(shuffled)));
        }
        int stored = 0;
        for (CompletableFuture<HttpResponse<String>> post : posts) {
            JsonNode r = json(post.get());
            stored += r.get("stored").asInt();
            assertThat(r.get("stored").asInt() + r.get("duplicates").asInt()).isEqualTo(40);
        }
        assertThat(stored).isEqualTo(40);
        assertThat(reader.changeCount()).isEqualTo(40);
    }

    static List<String> statuses(JsonNode response) {
        return response.get("results").findValuesAsText("status");
    }
}
