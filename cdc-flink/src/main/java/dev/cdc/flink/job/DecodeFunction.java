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
import dev.cdc.common.schema.TypeHold;
import dev.cdc.common.schema.ValueType;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.flink.source.BrokerRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's side of {@link ChangeDecoding}, keyed by table: changes go on, alerts and dead letters leave by side
 * outputs. Every change of a table passes one task, whose keyed state keeps the types the table's columns first
 * arrived with, so a later change sending a column as text (S4) is coerced the same way before and after a restart.
 * What the admission skips (tombstones, heartbeats, transaction metadata) and the schema changes it records are
 * counted under the task's {@code admission} metric group.
 *
 * <p>With several queue readers a table's changes reach this task out of their publish order. That matters in one
 * case only, a change that {@link ColumnTypes#learnsFromText learns a column's type from text} (a typed row published
 * before it, still with a slower reader, would have made it coerced): such a change is held, with every later message
 * of its table, in keyed state in arrival order, and an event-time timer is set at its publish time. The job's
 * watermarks before this task follow the publish times ({@code PublishTimeWatermarks}), so when the timer fires every
 * reader has emitted what was published before it, and the held messages are decoded as {@link TypeHold} orders them
 * (a typed row published earlier first). Everything else is decoded as it arrives: a table waits only at a text
 * column's first sighting (its first message, a new text column). The held messages and the timer are state: a
 * checkpoint or a savepoint keeps them, and they are decoded after a restore when the watermark passes; the end of
 * the input (the final watermark) releases them all.
 */
final class DecodeFunction extends KeyedProcessFunction<String, BrokerRecord, ChangeRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeFunction.class);
    static final OutputTag<ApiRecord> ALERTS = new OutputTag<>("alerts", TypeInformation.of(ApiRecord.class));
    static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    private final Map<String, String> config;
    private final String consumerId;
    private transient ChangeDecoding decoding;
    private transient MapState<String, String> columnTypes;
    /** The table's messages since a held text first sighting, in arrival order. */
    private transient ListState<BrokerRecord> held;
    /** The publish time the hold waits for the watermark to pass (its timer's); empty while nothing is held. */
    private transient ValueState<Long> heldUntil;
    private transient Set<TableId> restoredTables;
    private transient Map<Admitted.Skip, Counter> skipped;
    private transient Counter schemaChanges;
    private transient Counter holds;

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
        holds = metrics.counter("typeHolds");
        columnTypes = getRuntimeContext().getMapState(new MapStateDescriptor<>("column-types", String.class, String.class));
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-for-types", BrokerRecord.TYPE));
        heldUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("held-until", Types.LONG));
        restoredTables = new HashSet<>();
    }

    @Override
    public void processElement(BrokerRecord record, Context ctx, Collector<ChangeRecord> out) throws Exception {
        if (heldUntil.value() != null) {
            held.add(record); // behind the held first sighting: a row's later change never overtakes an earlier one
            return;
        }
        TableId table = table(ctx.getCurrentKey());
        ColumnTypes types = types(table);
        int known = columnCount(table, types);
        Admitted admitted = decoding.admit(record.toBrokerMessage());
        if (learnsFromText(admitted, types) && record.publishedAtMillis > ctx.timerService().currentWatermark()) {
            holds.inc();
            held.add(record);
            heldUntil.update(record.publishedAtMillis);
            ctx.timerService().registerEventTimeTimer(record.publishedAtMillis);
            return;
        }
        decoding.decode(admitted, record.receivedAtMicros, output(ctx, out));
        keepTypes(table, types, known);
    }

    /** The watermark passed a held first sighting: what was published before it has arrived, and goes first. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChangeRecord> out) throws Exception {
        Long until = heldUntil.value();
        if (until == null || timestamp < until) {
            return;
        }
        String key = ctx.getCurrentKey();
        TableId table = table(key);
        ColumnTypes types = types(table);
        int known = columnCount(table, types);
        List<Held> arrived = new ArrayList<>();
        for (BrokerRecord record : held.get()) {
            arrived.add(new Held(record, decoding.admit(record.toBrokerMessage())));
        }
        if (!arrived.isEmpty()) { // rare (a text column's first sighting), and what a hold costs shows here
            LOG.info("{}: {} messages held for {} ms until what was published before a text column's first sighting"
                    + " had arrived", key.isEmpty() ? "(no table)" : key, arrived.size(),
                    ctx.timerService().currentProcessingTime() - arrived.get(0).record.receivedAtMicros / 1000);
        }
        ChangeDecoding.Output output = output(ctx, out);
        List<Held> still = TypeHold.release(arrived, ctx.timerService().currentWatermark(), Held::row,
                h -> h.record.publishedAtMillis, h -> learnsFromText(h.admitted, types),
                h -> decoding.decode(h.admitted, h.record.receivedAtMicros, output));
        keepTypes(table, types, known);
        if (still.isEmpty()) {
            held.clear();
            heldUntil.clear();
        } else { // a later text first sighting, published after the watermark: held again, with what follows it
            long next = still.get(0).record.publishedAtMillis;
            held.update(still.stream().map(h -> h.record).toList());
            heldUntil.update(next);
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    /** A held message with its admission (made again at release: state keeps the message only). */
    private record Held(BrokerRecord record, Admitted admitted) {
        /** Its row, which keeps its arrival order; null for a message without one. */
        String row() {
            return admitted instanceof Admitted.Change change ? change.event().key().toString() : null;
        }
    }

    private static boolean learnsFromText(Admitted admitted, ColumnTypes types) {
        return admitted instanceof Admitted.Change change && types.learnsFromText(change.event());
    }

    /** The table a key names; null for the key of messages whose topic names none. */
    private static TableId table(String key) {
        return key.isEmpty() ? null : TableId.parse(key);
    }

    /** The decoder's column types, with the table's kept types taken back from state once per task. */
    private ColumnTypes types(TableId table) throws Exception {
        ColumnTypes types = decoding.columnTypes();
        if (table != null && restoredTables.add(table)) {
            Map<String, ValueType> kept = new HashMap<>();
            for (Map.Entry<String, String> e : columnTypes.entries()) {
                kept.put(e.getKey(), ValueType.valueOf(e.getValue()));
            }
            types.restore(table, kept);
        }
        return types;
    }

    private static int columnCount(TableId table, ColumnTypes types) {
        return table == null ? 0 : types.columns(table);
    }

    /** Puts the table's types in state when decoding learnt new ones (rare: the map is copied only then). */
    private void keepTypes(TableId table, ColumnTypes types, int known) throws Exception {
        if (table != null && types.columns(table) != known) {
            for (Map.Entry<String, ValueType> e : types.of(table).entrySet()) {
                columnTypes.put(e.getKey(), e.getValue().name());
            }
        }
    }

    private ChangeDecoding.Output output(Context ctx, Collector<ChangeRecord> out) {
        return new ChangeDecoding.Output() {
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
        };
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
