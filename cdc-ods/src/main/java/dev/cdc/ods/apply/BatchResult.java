package dev.cdc.ods.apply;

import dev.cdc.common.dlq.DeadLetter;
import java.time.Duration;
import java.util.List;

/**
 * What applying one batch did.
 *
 * @param written rows the position guard let through (state tables)
 * @param stale changes the guard refused (not newer than what their row held)
 * @param deadLetters changes that went to the DLQ; the caller publishes them to the DLQ topics
 * @param enriched enriched orders recomputed
 * @param skipped messages that carry no row change (tombstones, heartbeats, transaction metadata) or a schema change
 *     (recorded in {@code cdc_source_ddl})
 * @param changeTimes the source commit times of the batch's changes after the snapshot that took effect, for latency
 */
public record BatchResult(long batchId, int events, int written, int stale,
                          List<DeadLetter> deadLetters, int enriched, Duration took, int skipped, long[] changeTimes) {

    public BatchResult {
        deadLetters = List.copyOf(deadLetters);
    }

    public BatchResult took(Duration duration) {
        return new BatchResult(batchId, events, written, stale, deadLetters, enriched, duration, skipped, changeTimes);
    }
}
