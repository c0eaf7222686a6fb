package dev.cdc.restapi.http;

import dev.cdc.restapi.store.Page;
import dev.cdc.restapi.store.ReceivedStore;
import dev.cdc.restapi.store.StoreCounts;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Instant;
import java.util.Optional;

/**
 * The read side, open without a token: listings paged by an opaque cursor, counts, single records, stats. Records
 * come back exactly as they were received. Internal.
 */
final class ReadEndpoints {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final ReceivedStore store;
    private final ApiMetrics metrics;
    private final Instant startedAt;

    ReadEndpoints(ReceivedStore store, ApiMetrics metrics, Instant startedAt) {
        this.store = store;
        this.metrics = metrics;
        this.startedAt = startedAt;
    }

    /** Adds the routes; {@code /count} before {@code /{id}}, which would otherwise take it. */
    void register(JavalinDefaultRouting r) {
        String changes = RecordKind.CHANGES.path();
        r.get(changes, ctx -> page(ctx, store.changes(ctx.queryParam("after"), limit(ctx), filter(ctx, "table"))));
        r.get(changes + "/count", ctx -> count(ctx, store.changeCount(filter(ctx, "table"))));
        r.get(changes + "/{id}", ctx -> single(ctx, store.change(ctx.pathParam("id")), "change"));

        String orders = RecordKind.ENRICHED_ORDERS.path();
        r.get(orders, ctx -> page(ctx, store.enrichedOrders(ctx.queryParam("after"), limit(ctx), deleted(ctx))));
        r.get(orders + "/count", ctx -> count(ctx, store.enrichedOrderCount(deleted(ctx))));
        r.get(orders + "/{order_id}", ctx -> single(ctx, store.enrichedOrder(ctx.pathParam("order_id"), deleted(ctx)),
                "enriched order"));

        String alerts = RecordKind.ALERTS.path();
        r.get(alerts, ctx -> page(ctx, store.alerts(ctx.queryParam("after"), limit(ctx), filter(ctx, "rule"))));
        r.get(alerts + "/count", ctx -> count(ctx, store.alertCount(filter(ctx, "rule"))));
        r.get(alerts + "/{id}", ctx -> single(ctx, store.alert(ctx.pathParam("id")), "alert"));

        r.get("/api/v1/stats", this::stats);
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("limit must be an integer in [1, " + MAX_LIMIT + "], was " + text);
    }

    private static String filter(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static boolean deleted(Context ctx) {
        String text = ctx.queryParam("deleted");
        if (text == null || text.isEmpty() || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw ApiError.badRequest("deleted must be true or false, was " + text);
    }

    private static void page(Context ctx, Page page) {
        Json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (String item : page.items()) {
                g.writeRawValue(item);
            }
            g.writeEndArray();
            g.writeStringField("next", page.next());
            g.writeEndObject();
        });
    }

    private static void count(Context ctx, long count) {
        Json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("count", count);
            g.writeEndObject();
        });
    }

    private static void single(Context ctx, Optional<String> record, String what) {
        String json = record.orElseThrow(() -> ApiError.notFound("no " + what + " with that id"));
        Json.send(ctx, 200, g -> g.writeRawValue(json));
    }

    private void stats(Context ctx) {
        StoreCounts held = store.counts();
        Json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("changes", held.changes());
            g.writeNumberField("enriched_orders", held.enrichedOrders());
            g.writeNumberField("enriched_orders_deleted", held.enrichedOrdersDeleted());
            g.writeNumberField("alerts", held.alerts());
            g.writeNumberField("duplicates", metrics.sinceStart(ApiMetrics.Status.DUPLICATE));
            g.writeNumberField("invalid", metrics.sinceStart(ApiMetrics.Status.INVALID));
            g.writeStringField("started_at", startedAt.toString());
            g.writeObjectFieldStart("since_start");
            for (RecordKind kind : RecordKind.values()) {
                g.writeObjectFieldStart(kind.label());
                for (ApiMetrics.Status status : ApiMetrics.Status.values()) {
                    g.writeNumberField(status.label(), metrics.sinceStart(kind, status));
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
