package dev.cdc.restapi.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cdc.restapi.store.EnrichedOrderRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads what a REST API received, over its read endpoints: every change, enriched order or alert (following the
 * cursor page by page), single records and counts. Used by the pipeline's truth check and by tests. Records come
 * back as the JSON the API received. Thread-safe; needs no token.
 *
 * <p>Any answer other than the expected one (the API down, a 503, a 400) is an {@link IOException} naming the
 * request and the status.
 */
public final class ReceivedReader {

    public static final int DEFAULT_PAGE_SIZE = 1000;

    /** Numbers exact, as they were sent. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final int pageSize;

    /** What the API holds now, and what it received since it started. */
    public record Stats(long changes, long enrichedOrders, long enrichedOrdersDeleted, long alerts, long duplicates,
                        long invalid) {
    }

    /** @param baseUrl e.g. {@code http://127.0.0.1:8080} */
    public ReceivedReader(String baseUrl) {
        this(URI.create(baseUrl), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                Duration.ofSeconds(30), DEFAULT_PAGE_SIZE);
    }

    /** @param pageSize records per request, 1 to 10,000 */
    public ReceivedReader(URI baseUrl, HttpClient http, Duration timeout, int pageSize) {
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize must be in [1, 10000], was " + pageSize);
        }
        String text = baseUrl.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.http = http;
        this.timeout = timeout;
        this.pageSize = pageSize;
    }

    /** Every change in arrival order, optionally of one table (null: all), without holding them all at once. */
    public void forEachChange(String table, Consumer<JsonNode> action) throws IOException, InterruptedException {
        forEach("/api/v1/changes", table == null ? "" : "&table=" + encode(table), action);
    }

    public List<JsonNode> changes() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        forEachChange(null, all::add);
        return all;
    }

    /** Every enriched order held, by order key, optionally with the tombstones. */
    public void forEachEnrichedOrder(boolean includeDeleted, Consumer<JsonNode> action)
            throws IOException, InterruptedException {
        forEach("/api/v1/enriched-orders", includeDeleted ? "&deleted=true" : "", action);
    }

    /** The live enriched orders by the text form of their {@code order_id}, in that order. */
    public Map<String, JsonNode> enrichedOrders() throws IOException, InterruptedException {
        Map<String, JsonNode> byOrder = new LinkedHashMap<>();
        forEachEnrichedOrder(false, o -> byOrder.put(EnrichedOrderRecord.orderKey(o.get("order_id")), o));
        return byOrder;
    }

    /** Every alert in arrival order, optionally of one rule (null: all). */
    public void forEachAlert(String rule, Consumer<JsonNode> action) throws IOException, InterruptedException {
        forEach("/api/v1/alerts", rule == null ? "" : "&rule=" + encode(rule), action);
    }

    public List<JsonNode> alerts() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        forEachAlert(null, all::add);
        return all;
    }

    public Optional<JsonNode> change(String id) throws IOException, InterruptedException {
        return single("/api/v1/changes/" + encode(id));
    }

    /** The live record of an order (a tombstone reads as empty). */
    public Optional<JsonNode> enrichedOrder(String orderId) throws IOException, InterruptedException {
        return single("/api/v1/enriched-orders/" + encode(orderId));
    }

    public Optional<JsonNode> alert(String id) throws IOException, InterruptedException {
        return single("/api/v1/alerts/" + encode(id));
    }

    public long changeCount() throws IOException, InterruptedException {
        return count("/api/v1/changes/count");
    }

    public long changeCount(String table) throws IOException, InterruptedException {
        return count("/api/v1/changes/count?table=" + encode(table));
    }

    /** Live orders. */
    public long enrichedOrderCount() throws IOException, InterruptedException {
        return count("/api/v1/enriched-orders/count");
    }

    public long alertCount() throws IOException, InterruptedException {
        return count("/api/v1/alerts/count");
    }

    public long alertCount(String rule) throws IOException, InterruptedException {
        return count("/api/v1/alerts/count?rule=" + encode(rule));
    }

    public Stats stats() throws IOException, InterruptedException {
        JsonNode s = get("/api/v1/stats", false).orElseThrow();
        return new Stats(s.path("changes").asLong(), s.path("enriched_orders").asLong(),
                s.path("enriched_orders_deleted").asLong(), s.path("alerts").asLong(), s.path("duplicates").asLong(),
                s.path("invalid").asLong());
    }

    private void forEach(String path, String filter, Consumer<JsonNode> action) throws IOException, InterruptedException {
        String after = null;
        do {
            String query = "?limit=" + pageSize + filter + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = get(path + query, false).orElseThrow();
            page.path("items").forEach(action);
            JsonNode next = page.path("next");
            after = next.isTextual() ? next.textValue() : null;
        } while (after != null);
    }

    private long count(String path) throws IOException, InterruptedException {
        return get(path, false).orElseThrow().path("count").asLong();
    }

    private Optional<JsonNode> single(String path) throws IOException, InterruptedException {
        return get(path, true);
    }

    private Optional<JsonNode> get(String path, boolean absentIfNotFound) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("GET " + uri + " failed: " + e.getMessage(), e);
        }
        if (response.statusCode() == 404 && absentIfNotFound) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Optional.of(JSON.readTree(response.body()));
    }

    private static String encode(String value) {
        // a path segment or query value: a space is %20, never '+'
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
