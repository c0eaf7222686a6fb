package dev.cdc.flink.job;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first step of the 3-way join, keyed by a referenced row's key: rows of a child table (orders, or items) meet
 * the row they reference (their customer, or their product). A child change goes on with the referenced row as it
 * is now; a change of the referenced row goes on once for each of its children. Every row is position-guarded: a
 * change no newer than what the state holds (a redelivery, or a late older change) changes nothing and emits
 * nothing, so arrival order does not matter.
 */
final class LookupJoin extends KeyedProcessFunction<String, ChangeRecord, JoinPart> {

    private final String childTable;
    private final String referencedTable;
    private final String kind;
    private final Duration ttl;
    private transient ValueState<JoinPart> referenced;
    private transient MapState<String, JoinPart> children;

    /**
     * @param kind {@link JoinPart#ORDER} (orders referencing customers) or {@link JoinPart#ITEM} (items referencing
     *             products)
     */
    LookupJoin(String childTable, String referencedTable, String kind, Duration ttl) {
        this.childTable = childTable;
        this.referencedTable = referencedTable;
        this.kind = kind;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<JoinPart> ref = new ValueStateDescriptor<>("referenced", JoinPart.class);
        ref.enableTimeToLive(StateTtl.of(ttl));
        referenced = getRuntimeContext().getState(ref);
        MapStateDescriptor<String, JoinPart> rows = new MapStateDescriptor<>("children", String.class, JoinPart.class);
        rows.enableTimeToLive(StateTtl.of(ttl));
        children = getRuntimeContext().getMapState(rows);
    }

    @Override
    public void processElement(ChangeRecord change, Context ctx, Collector<JoinPart> out) throws Exception {
        if (change.table.equals(referencedTable)) {
            JoinPart held = referenced.value();
            if (held != null && !change.version().isAfter(held.version())) {
                return;
            }
            JoinPart row = new JoinPart();
            row.scn = change.scn;
            row.sequence = change.sequence;
            row.deleted = change.deleted;
            row.rowJson = change.deleted ? null : change.rowJson;
            row.sourceTsMs = change.sourceTsMs;
            referenced.update(row);
            for (Map.Entry<String, JoinPart> child : children.entries()) {
                JoinPart part = withReference(child.getValue(), row);
                part.sourceTsMs = change.sourceTsMs;
                out.collect(part);
            }
        } else if (change.table.equals(childTable)) {
            JoinPart held = children.get(change.rowKey);
            if (held != null && !change.version().isAfter(held.version())) {
                return;
            }
            JoinPart child = new JoinPart();
            child.kind = kind;
            child.orderKey = change.orderKey;
            child.rowKey = change.rowKey;
            child.scn = change.scn;
            child.sequence = change.sequence;
            child.deleted = change.deleted;
            child.rowJson = change.rowJson;
            child.sourceTsMs = change.sourceTsMs;
            children.put(change.rowKey, child);
            out.collect(withReference(child, referenced.value()));
        }
    }

    /** The child as it goes on: with the referenced row's position and image (none when unknown or deleted). */
    private static JoinPart withReference(JoinPart child, JoinPart ref) {
        JoinPart part = new JoinPart();
        part.kind = child.kind;
        part.orderKey = child.orderKey;
        part.rowKey = child.rowKey;
        part.scn = child.scn;
        part.sequence = child.sequence;
        part.deleted = child.deleted;
        part.rowJson = child.rowJson;
        part.sourceTsMs = child.sourceTsMs;
        if (ref != null) {
            part.refScn = ref.scn;
            part.refSequence = ref.sequence;
            part.refJson = ref.deleted ? null : ref.rowJson;
        }
        return part;
    }
}
