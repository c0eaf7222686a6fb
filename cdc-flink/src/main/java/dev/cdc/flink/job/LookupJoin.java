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
 *
 * <p>Live rows never expire (an order untouched for months still meets its customer's next change); a deleted row
 * (referenced or child) is kept as a tombstone for the retention, then cleared ({@link Tombstones}).
 */
final class LookupJoin extends KeyedProcessFunction<String, ChangeRecord, JoinPart> {

    private final String childTable;
    private final String referencedTable;
    private final String kind;
    private static final String REFERENCED_TOMBSTONE = "referenced";
    private static final String CHILD_TOMBSTONE = "child:";

    private final Duration tombstoneRetention;
    private transient ValueState<JoinPart> referenced;
    private transient MapState<String, JoinPart> children;
    private transient Tombstones tombstones;

    /**
     * @param kind {@link JoinPart#ORDER} (orders referencing customers) or {@link JoinPart#ITEM} (items referencing
     *             products)
     */
    LookupJoin(String childTable, String referencedTable, String kind, Duration tombstoneRetention) {
        this.childTable = childTable;
        this.referencedTable = referencedTable;
        this.kind = kind;
        this.tombstoneRetention = tombstoneRetention;
    }

    @Override
    public void open(OpenContext context) {
        referenced = getRuntimeContext().getState(new ValueStateDescriptor<>("referenced", JoinPart.class));
        children = getRuntimeContext().getMapState(new MapStateDescriptor<>("children", String.class, JoinPart.class));
        tombstones = new Tombstones(tombstoneRetention);
        tombstones.open(getRuntimeContext());
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
            track(REFERENCED_TOMBSTONE, change.deleted, ctx);
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
            track(CHILD_TOMBSTONE + change.rowKey, change.deleted, ctx);
            out.collect(child.withReference(referenced.value()));
        }
    }

    private void track(String tombstone, boolean deleted, Context ctx) throws Exception {
        if (deleted) {
            tombstones.deleted(tombstone, ctx.timerService());
        } else {
            tombstones.revived(tombstone);
        }
    }

    /** Clears the tombstones whose retention passed, unless a newer live version replaced them meanwhile. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<JoinPart> out) throws Exception {
        for (String tombstone : tombstones.due(timestamp)) {
            if (tombstone.equals(REFERENCED_TOMBSTONE)) {
                JoinPart held = referenced.value();
                if (held != null && held.deleted) {
                    referenced.clear(); // a child without its referenced row joins nothing, as with a tombstone
                }
            } else {
                String childKey = tombstone.substring(CHILD_TOMBSTONE.length());
                JoinPart held = children.get(childKey);
                if (held != null && held.deleted) {
                    children.remove(childKey);
                }
            }
        }
    }
}
