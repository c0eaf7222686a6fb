package dev.cdc.ods.apply;

import dev.cdc.common.dlq.DeadLetter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link OdsWriter#applyChanges} did with a slice of a batch. Serializable: a Spark executor sends it back to
 * the driver, which publishes the dead letters and reports the batch.
 *
 * @param written rows the position guard let through (state tables)
 * @param stale changes the guard refused: not newer than what their row held (a re-send, an older change arriving
 *     after a newer one); a batch's older changes of a row it writes are not stale, they take effect through it
 * @param deadLetters messages that went to {@code cdc_dlq}; the caller publishes them to the DLQ topics
 * @param skipped messages that carry no row change (tombstones, heartbeats, transaction metadata) or a schema change
 * @param changeTimes the source commit times of the changes after the snapshot that took effect (their row was
 *     written), for latency
 * @param newestCommitMs the newest source commit time among the changes (0 for none): the revenue watermark's input
 * @param writtenByTable {@code written} by ODS table
 */
public record AppliedChanges(int events, int written, int stale, List<DeadLetter> deadLetters, int skipped,
                             long[] changeTimes, long newestCommitMs, Map<String, Integer> writtenByTable)
        implements Serializable {

    public AppliedChanges {
        deadLetters = List.copyOf(deadLetters);
        writtenByTable = Map.copyOf(writtenByTable);
    }

    /** The slices of one batch as one. */
    public static AppliedChanges sum(Collection<AppliedChanges> slices) {
        int events = 0;
        int written = 0;
        int stale = 0;
        int skipped = 0;
        long newest = 0;
        List<DeadLetter> dead = new ArrayList<>();
        Map<String, Integer> byTable = new HashMap<>();
        int times = 0;
        for (AppliedChanges s : slices) {
            times += s.changeTimes().length;
        }
        long[] changeTimes = new long[times];
        int at = 0;
        for (AppliedChanges s : slices) {
            events += s.events();
            written += s.written();
            stale += s.stale();
            skipped += s.skipped();
            newest = Math.max(newest, s.newestCommitMs());
            dead.addAll(s.deadLetters());
            s.writtenByTable().forEach((table, rows) -> byTable.merge(table, rows, Integer::sum));
            System.arraycopy(s.changeTimes(), 0, changeTimes, at, s.changeTimes().length);
            at += s.changeTimes().length;
        }
        return new AppliedChanges(events, written, stale, dead, skipped, changeTimes, newest, byTable);
    }
}
