package dev.cdc.flink.job;

import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.Admitted;
import dev.cdc.common.admission.TopicLayout;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.TableId;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.schema.ColumnTypes;
import dev.cdc.common.schema.ValueType;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.flink.source.BrokerRecord;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Flink's side of {@link ChangeDecoding}, keyed by table: changes go on, alerts and dead letters leave by side
 * outputs. Every change of a table passes one task, whose keyed state keeps the types the table's columns first
 * arrived with, so a later change sending a column as text (S4) is coerced the same way before and after a restart.
 * What the admission skips (tombstones, heartbeats, transaction metadata) and the schema changes it records are
 * counted under the task's {@code admission} metric group.
 */
final class DecodeFunction extends KeyedProcessFunction<String, BrokerRecord, ChangeRecord> {

    static final OutputTag<ApiRecord> ALERTS = new OutputTag<>("alerts", TypeInformation.of(ApiRecord.class));
    static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    private final Map<String, String> config;
    private final String consumerId;
    private transient ChangeDecoding decoding;
    private transient MapState<String, String> columnTypes;
    private transient Set<String> restoredTables;
    private transient Map<Admitted.Skip, Counter> skipped;
    private transient Counter schemaChanges;

    DecodeFunction(Map<String, String> config, String consumerId) {
        this.config = Map.copyOf(config);
        this.consumerId = consumerId;
    }

    /**
     * The key a message is decoded under: its table, from the topic as {@code events.topic-layout} lays it out
     * ({@code ""} for a topic that names none: a queue address, or a topic outside the layout; the admission still
     * reads the table from the payload, or makes the message a dead letter).
     */
    static String table(TopicLayout layout, BrokerRecord record) {
        return layout.route(record.topic).map(route -> route.table().toString()).orElse("");
    }

    @Override
    public void open(OpenContext context) {
        Configuration c = Configuration.empty().with(config);
        decoding = new ChangeDecoding(EnrichedOrderDefinition.SALES, XmlExtractions.load(c), AlertRules.load(c),
                new Admission(AdmissionSettings.from(c)), consumerId);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("admission");
        skipped = new EnumMap<>(Admitted.Skip.class);
        for (Admitted.Skip reason : Admitted.Skip.values()) {
            skipped.put(reason, metrics.counter("skipped" + metricName(reason)));
        }
        schemaChanges = metrics.counter("schemaChanges");
        columnTypes = getRuntimeContext().getMapState(new MapStateDescriptor<>("column-types", String.class, String.class));
        restoredTables = new HashSet<>();
    }

    @Override
    public void processElement(BrokerRecord record, Context ctx, Collector<ChangeRecord> out) throws Exception {
        String key = ctx.getCurrentKey();
        TableId table = key.isEmpty() ? null : TableId.parse(key);
        ColumnTypes types = decoding.columnTypes();
        if (table != null && restoredTables.add(key)) {
            Map<String, ValueType> kept = new HashMap<>();
            for (Map.Entry<String, String> e : columnTypes.entries()) {
                kept.put(e.getKey(), ValueType.valueOf(e.getValue()));
            }
            types.restore(table, kept);
        }
        int known = table == null ? 0 : types.columns(table);
        decoding.decode(record.toBrokerMessage(), record.receivedAtMicros, new ChangeDecoding.Output() {
            @Override
            public void change(ChangeRecord change) {
                out.collect(change);
            }

            @Override
            public void alert(ApiRecord alert) {
                ctx.output(ALERTS, alert);
            }

            @Override
            public void deadLetter(DeadLetterRecord letter) {
                ctx.output(DEAD_LETTERS, letter);
            }

            @Override
            public void skipped(Admitted.Skip reason) {
                skipped.get(reason).inc();
            }

            @Override
            public void schemaChange(Admitted.SchemaChange change) {
                schemaChanges.inc();
            }
        });
        if (table != null && types.columns(table) != known) { // rare: a new column; the map is copied only then
            for (Map.Entry<String, ValueType> e : types.of(table).entrySet()) {
                columnTypes.put(e.getKey(), e.getValue().name());
            }
        }
    }

    /** A skip reason in a metric's name: TRANSACTION_METADATA as TransactionMetadata. */
    static String metricName(Admitted.Skip reason) {
        StringBuilder name = new StringBuilder();
        for (String word : reason.name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }
}
