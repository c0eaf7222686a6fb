package dev.cdc.generator.truth;

import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.common.truth.TruthWriter;
import dev.cdc.generator.GeneratedMessage;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.schema.Column;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.generator.schema.TableDefinition;
import dev.cdc.generator.source.SalesWorkload;
import dev.cdc.generator.source.SourceTable;
import dev.cdc.generator.xml.Addresses;
import dev.cdc.generator.xml.ShippingInfo;
import dev.cdc.generator.xml.XmlDocument;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records the source truth of a run. While the run goes on, {@link #published} logs every valid change sent and
 * the alerts the rules raise on it ({@code changes.jsonl}, {@code alerts.jsonl}); at the end, {@link #finish} writes
 * the rest from the simulator's own model: the final state of every captured row, the rows the XML extraction must
 * yield, the enriched orders (the join of the final state), the dead letters the bad messages must become, and the
 * manifest last. Closing a recorder that did not finish leaves an incomplete truth (no manifest).
 */
public final class TruthRecorder implements Closeable {

    private final TruthWriter writer;
    private final TruthWriter.EventLog events;

    private TruthRecorder(TruthWriter writer, TruthWriter.EventLog events) {
        this.writer = writer;
        this.events = events;
    }

    /** Starts a truth in {@code dir}: a manifest left there by an earlier run is removed first. */
    public static TruthRecorder open(Path dir, AlertRules rules) throws IOException {
        TruthWriter writer = new TruthWriter(dir);
        return new TruthRecorder(writer, writer.openEventLog(rules));
    }

    /**
     * Logs a message just sent. A body that is not an envelope (F6) is a dead letter, not a change; a re-sent message
     * (F10) is a change already logged. An XML column that won't parse (X3) still makes a valid change.
     */
    public void published(GeneratedMessage message) throws IOException {
        if (message.event() != null && !message.resent()) {
            events.published(message.event());
        }
    }

    /** Valid changes logged so far. */
    public long changes() {
        return events.changes();
    }

    /** Alerts logged so far. */
    public long alerts() {
        return events.alerts();
    }

    /** Writes the final state, extracted rows, enriched orders and dead letters, then the manifest. */
    public void finish(SalesWorkload workload, GeneratorConfig config, Map<String, Object> run) throws IOException {
        events.close();
        for (TableDefinition definition : SalesSchema.TABLES) {
            if (!config.captures(definition.id())) {
                continue;
            }
            SourceTable table = workload.table(definition.id());
            List<String> xmlColumns = table.columns().stream().filter(Column::xml).map(Column::name).toList();
            writer.table(definition.id(), List.of(table.keyColumn()), xmlColumns,
                    () -> table.finalRows().values().stream().map(r -> new TruthRow(
                            Map.of(table.keyColumn(), r.key()), r.deleted(), r.position(),
                            r.deleted() ? null : new LinkedHashMap<>(r.values()))).iterator());
        }
        for (Map.Entry<String, Map<Long, XmlDocument>> target : workload.xmlDocuments().entrySet()) {
            List<String> key = target.getKey().equals(ShippingInfo.TARGET_TABLE) ? ShippingInfo.TARGET_KEY : Addresses.TARGET_KEY;
            Map<Long, XmlDocument> byParent = new TreeMap<>(target.getValue());
            writer.extracted(target.getKey(), key, () -> byParent.entrySet().stream()
                    .flatMap(e -> e.getValue().rows(e.getKey()).stream()).iterator());
        }
        EnrichedOrderDefinition join = EnrichedOrderDefinition.SALES;
        if (join.inputs().stream().allMatch(config::captures)) {
            writer.enriched(enriched(workload, join));
        }
        writer.deadLetters(workload.expectedDeadLetters());
        Map<String, Object> producer = new LinkedHashMap<>(config.describe());
        producer.putAll(run);
        writer.manifest(producer);
    }

    @Override
    public void close() throws IOException {
        events.close();
    }

    /** The join of the final state, one row per live order, by order key. */
    static List<Map<String, Object>> enriched(SalesWorkload workload, EnrichedOrderDefinition join) {
        SourceTable orders = workload.table(join.orders());
        SourceTable customers = workload.table(join.customers());
        SourceTable items = workload.table(join.items());
        SourceTable products = workload.table(join.products());
        Map<Long, List<Map<String, Object>>> itemsByOrder = new HashMap<>();
        for (SourceTable.FinalRow item : items.finalRows().values()) {
            if (!item.deleted()) {
                long order = ((Number) item.values().get(join.orderKey())).longValue();
                itemsByOrder.computeIfAbsent(order, k -> new ArrayList<>()).add(item.values());
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (SourceTable.FinalRow order : orders.finalRows().values()) {
            if (order.deleted()) {
                continue;
            }
            Object customerKey = order.values().get(join.customerKey());
            Map<String, Object> customer = customerKey == null ? null : customers.liveRow(((Number) customerKey).longValue());
            out.add(join.enrich(order.values(), customer, itemsByOrder.getOrDefault(order.key(), List.of()),
                    key -> key == null ? null : products.liveRow(((Number) key).longValue())));
        }
        return out;
    }
}
