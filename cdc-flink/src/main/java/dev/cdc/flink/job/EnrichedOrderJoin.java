package dev.cdc.flink.job;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.join.EnrichedOrderDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The last step of the 3-way join, keyed by order: the order (with its customer) and its items (each with its
 * product) meet, and the changes that make a difference send the enriched order again, built by the core's
 * {@link EnrichedOrderDefinition}: gathered for a short interval, so an order and its items (or several product
 * changes) cost one rebuild, and not sent when the rebuild equals what was last sent. Each part is kept only if it supersedes what the state holds, so the state
 * converges to the join of the newest rows whatever the arrival order; the REST API keeps the last enriched order it
 * receives per order (the sink keeps one order's records in order). The record's id is a digest of its content:
 * sending the same enriched order again is a duplicate the API recognises.
 *
 * <p>Nothing live expires: an order nobody touched for months still meets its customer's and products' changes.
 * Only tombstones go, after the retention ({@link Tombstones}): a deleted item, and a deleted order with all it
 * held (its items and what was last sent), which no later change can bring back into an output.
 */
final class EnrichedOrderJoin extends KeyedProcessFunction<String, JoinPart, ApiRecord> {

    private static final byte[] DELETED = "deleted".getBytes(StandardCharsets.UTF_8);
    /** Rows kept parsed: a few MB, enough for the products and customers of the orders rebuilt in a while. */
    private static final int PARSED_ROWS = 10_000;
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

    private static final String ORDER_TOMBSTONE = "order";
    private static final String ITEM_TOMBSTONE = "item:";

    private final Duration tombstoneRetention;
    private final long rebuildMillis;
    private transient EnrichedOrderDefinition definition;
    private transient ParsedRows rows;
    private transient ValueState<JoinPart> order;
    private transient MapState<String, JoinPart> items;
    /** The id of the enriched order last sent: an unchanged rebuild is not sent again. */
    private transient ValueState<String> sent;
    private transient Tombstones tombstones;

    /**
     * @param tombstoneRetention how long a deleted order or item is kept to guard against late older changes
     * @param rebuildEvery how long the changes of one order are gathered before it is rebuilt once (0: at once)
     */
    EnrichedOrderJoin(Duration tombstoneRetention, Duration rebuildEvery) {
        this.tombstoneRetention = tombstoneRetention;
        this.rebuildMillis = rebuildEvery.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        definition = EnrichedOrderDefinition.SALES;
        rows = new ParsedRows(PARSED_ROWS);
        order = getRuntimeContext().getState(new ValueStateDescriptor<>("order", JoinPart.class));
        items = getRuntimeContext().getMapState(new MapStateDescriptor<>("items", String.class, JoinPart.class));
        sent = getRuntimeContext().getState(new ValueStateDescriptor<>("sent", String.class));
        tombstones = new Tombstones(tombstoneRetention);
        tombstones.open(getRuntimeContext());
    }

    @Override
    public void processElement(JoinPart part, Context ctx, Collector<ApiRecord> out) throws Exception {
        boolean orderChanged = JoinPart.ORDER.equals(part.kind);
        if (orderChanged) {
            if (!part.supersedes(order.value())) {
                return;
            }
            order.update(part);
            track(ORDER_TOMBSTONE, part, ctx);
        } else {
            if (!part.supersedes(items.get(part.rowKey))) {
                return;
            }
            items.put(part.rowKey, part);
            track(ITEM_TOMBSTONE + part.rowKey, part, ctx);
        }
        if (rebuildMillis <= 0) {
            rebuild(ctx.getCurrentKey(), out);
        } else { // one timer per order and interval: an order and its items arriving together are rebuilt once
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now - now % rebuildMillis + rebuildMillis);
        }
    }

    private void track(String tombstone, JoinPart part, Context ctx) throws Exception {
        if (part.deleted) {
            tombstones.deleted(tombstone, ctx.timerService());
        } else {
            tombstones.revived(tombstone);
        }
    }

    /** A rebuild that was gathering changes, or tombstones whose retention passed (or both: one timestamp). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ApiRecord> out) throws Exception {
        for (String tombstone : tombstones.due(timestamp)) {
            if (tombstone.equals(ORDER_TOMBSTONE)) {
                JoinPart held = order.value();
                if (held != null && held.deleted) { // its deletion was sent; nothing of it can be output again
                    order.clear();
                    items.clear();
                    sent.clear();
                    tombstones.clear();
                    return;
                }
            } else {
                String itemKey = tombstone.substring(ITEM_TOMBSTONE.length());
                JoinPart held = items.get(itemKey);
                if (held != null && held.deleted) { // a deleted item is in no enriched order
                    items.remove(itemKey);
                }
            }
        }
        rebuild(ctx.getCurrentKey(), out);
    }

    /** Sends the order as the state now holds it, unless that is what was last sent. */
    private void rebuild(String orderKey, Collector<ApiRecord> out) throws Exception {
        JoinPart current = order.value();
        if (current == null) {
            return; // items before their order: the order's arrival sends the whole
        }
        ApiRecord record = record(orderKey, current.deleted ? null : enrich(current), current.sourceTsMs);
        if (!record.id.equals(sent.value())) {
            sent.update(record.id);
            out.collect(record);
        }
    }

    private Map<String, Object> enrich(JoinPart orderPart) throws Exception {
        List<Map<String, Object>> liveItems = new ArrayList<>();
        Map<String, JoinPart> newestProduct = new HashMap<>();
        for (JoinPart item : items.values()) {
            if (item.deleted) {
                continue;
            }
            Map<String, Object> row = rows.read(item.rowJson);
            liveItems.add(row);
            String productKey = dev.cdc.common.event.KeyText.of(row.get(definition.productKey()));
            JoinPart known = newestProduct.get(productKey);
            if (productKey != null && (known == null || item.refPosition().isAfter(known.refPosition()))) {
                newestProduct.put(productKey, item);
            }
        }
        Map<String, Map<String, Object>> products = new HashMap<>();
        newestProduct.forEach((key, item) -> products.put(key, rows.read(item.refJson)));
        return definition.enrich(rows.read(orderPart.rowJson), rows.read(orderPart.refJson), liveItems,
                key -> products.get(dev.cdc.common.event.KeyText.of(key)));
    }

    /** The API's enriched-order record; {@code enriched} null for a deleted order. */
    private static ApiRecord record(String orderKey, Map<String, Object> enriched, long sourceTsMs) {
        byte[] content = enriched == null ? DELETED : CanonicalJson.write(enriched);
        String id = orderKey + "#" + digest(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 128);
        try (JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("id", id);
            gen.writeFieldName("order_id");
            if (INTEGER.matcher(orderKey).matches()) {
                gen.writeNumber(Long.parseLong(orderKey));
            } else {
                gen.writeString(orderKey);
            }
            gen.writeBooleanField("deleted", enriched == null);
            if (enriched != null) {
                gen.writeFieldName("order");
                gen.writeRawValue(new String(content, StandardCharsets.UTF_8));
            }
            gen.writeNumberField("source_ts_ms", sourceTsMs);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ApiRecord.of(ApiRecord.ENRICHED_ORDER, id, orderKey, out.toByteArray(), sourceTsMs, null);
    }

    private static String digest(byte[] content) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(sha, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
