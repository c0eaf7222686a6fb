package dev.cdc.flink.job;

import java.time.Duration;
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
            if (held != null && !change.position().isAfter(held.position())) {
                return;
            }
            JoinPart row = JoinPart.of(change, null);
            row.rowJson = change.deleted ? null : change.joinRow;
            referenced.update(row);
            for (JoinPart child : children.values()) {
                JoinPart part = child.withReference(row);
                part.sourceTsMs = change.sourceTsMs;
                out.collect(part);
            }
        } else if (change.table.equals(childTable)) {
            JoinPart held = children.get(change.rowKey);
            if (held != null && !change.position().isAfter(held.position())) {
                return;
            }
            JoinPart child = JoinPart.of(change, kind);
            children.put(change.rowKey, child);
            out.collect(child.withReference(referenced.value()));
        }
    }
}
