package dev.cdc.flink.source.reader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Which emitted messages each checkpoint covers, until that checkpoint completes: the rule that a message is
 * acknowledged only once its effects are durable.
 *
 * <p>{@link #emitted} collects what the reader emits; {@link #snapshot} closes that set under the checkpoint whose
 * barrier follows it (everything emitted so far, nothing after); {@link #completed} hands over every set of that
 * checkpoint and of all earlier ones, because Flink may skip a notification (a later completion covers an earlier
 * checkpoint) and an aborted checkpoint's messages simply wait for the next one that completes.
 *
 * <p>Used by the reader's task thread only (emit, snapshot and notifications all run there); {@link #size()} may be
 * read by a metrics reporter. Holds what was emitted since the last completed checkpoint: about checkpoint interval x
 * rate messages, more while checkpoints fail, and never more than the reader's unacknowledged limit.
 *
 * @param <M> what is acknowledged (a received message's handle)
 */
final class PendingAcknowledgements<M> {

    private List<M> sinceLastSnapshot = new ArrayList<>();
    private final NavigableMap<Long, List<M>> byCheckpoint = new TreeMap<>();
    private volatile int size;

    void emitted(M message) {
        sinceLastSnapshot.add(message);
        size++;
    }

    /** The barrier of {@code checkpointId} follows every message emitted so far. */
    void snapshot(long checkpointId) {
        if (sinceLastSnapshot.isEmpty()) {
            return;
        }
        byCheckpoint.merge(checkpointId, sinceLastSnapshot, (earlier, later) -> {
            earlier.addAll(later); // the same id twice (Flink does not): keep both sets
            return earlier;
        });
        sinceLastSnapshot = new ArrayList<>();
    }

    /** Checkpoint {@code checkpointId} completed: what it and every earlier checkpoint cover, in emission order. */
    List<M> completed(long checkpointId) {
        Map<Long, List<M>> done = byCheckpoint.headMap(checkpointId, true);
        if (done.isEmpty()) {
            return List.of();
        }
        List<M> messages = new ArrayList<>();
        done.values().forEach(messages::addAll);
        done.clear();
        size -= messages.size();
        return messages;
    }

    /** Emitted messages not yet handed over for acknowledgement. */
    int size() {
        return size;
    }
}
