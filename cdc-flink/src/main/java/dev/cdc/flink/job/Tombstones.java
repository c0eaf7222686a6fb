package dev.cdc.flink.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.TimerService;

/**
 * The only join state that expires: tombstones (deleted rows, kept so a late older change of the row can't bring it
 * back) and what a deleted row leaves behind, cleared once they have been held for the retention. A live row never
 * expires, however long nobody changes it: its customer or a product may change a year later and its enriched order
 * must still be whole (DESIGN section 7: expiry must never change an output). Memory is bounded by live rows, which
 * is the data itself; RocksDB holds it beyond the heap.
 *
 * <p>Per key of a keyed function: {@link #deleted} notes when a row became a tombstone and sets a processing-time
 * timer; {@link #revived} forgets it when a newer live version arrives; the function's {@code onTimer} asks
 * {@link #due} which tombstones may go, and clears them. A change older than a cleared tombstone that still arrives
 * (a replay from the DLQ older than the retention) is taken as new: choose the retention longer than any
 * redelivery or replay. Internal.
 */
final class Tombstones {

    private final long retentionMillis;
    /** Tombstone name (see the caller) -> the processing time from which it may be cleared. */
    private transient MapState<String, Long> expiry;

    Tombstones(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    void open(RuntimeContext context) {
        expiry = context.getMapState(new MapStateDescriptor<>("tombstone-expiry", String.class, Long.class));
    }

    /** {@code name} is a tombstone from now: it may go after the retention. */
    void deleted(String name, TimerService timers) throws Exception {
        long at = timers.currentProcessingTime() + retentionMillis;
        expiry.put(name, at);
        timers.registerProcessingTimeTimer(at);
    }

    /** {@code name} is live again (a newer version): it is kept. */
    void revived(String name) throws Exception {
        expiry.remove(name);
    }

    /** The tombstones whose retention has passed at {@code now}, forgotten here: the caller clears them. */
    List<String> due(long now) throws Exception {
        if (expiry.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = expiry.iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() <= now) {
                names.add(e.getKey());
                it.remove();
            }
        }
        return names;
    }

    void clear() {
        expiry.clear();
    }
}
