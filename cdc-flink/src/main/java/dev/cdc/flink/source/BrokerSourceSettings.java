package dev.cdc.flink.source;

import dev.cdc.common.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The source's tuning settings (keys under {@code flink.source.}), declared once. The job validates them with its
 * own: add {@link #ALL} to the list it passes to {@code Configuration.validate}. The endpoint comes from the broker
 * section ({@code BrokerSettings}); the queue address and the prefetch are the job's to pass.
 */
public final class BrokerSourceSettings {

    public static final Setting<Integer> MAX_MESSAGES_PER_FETCH = Setting.integer("flink.source.max-messages-per-fetch",
            500, 1, 100_000, "at most this many messages per hand-over from a reader's receiving thread to Flink");
    public static final Setting<Duration> POLL_TIMEOUT = Setting.duration("flink.source.poll-timeout", "100ms",
            "how long a reader waits for a first message before handing over an empty batch (also bounds how late an"
                    + " acknowledgement runs and how long a shutdown waits)");
    public static final Setting<Integer> MAX_UNACKNOWLEDGED = Setting.integer("flink.source.max-unacknowledged", 50_000,
            1, 10_000_000, "received but not yet acknowledged messages per reader, past which it stops receiving until"
                    + " a checkpoint completes; must exceed checkpoint interval x rate per reader, or it throttles");

    /** 0 stands for "auto": a sixteenth of the heap, at most 64 MB (see {@link #maxUnacknowledgedBytes}). */
    public static final Setting<Long> MAX_UNACKNOWLEDGED_BYTES = new Setting<>(
            "flink.source.max-unacknowledged-bytes", "received but not yet acknowledged message bodies per reader"
                    + " (e.g. 64mb), past which it stops receiving until a checkpoint completes: a backlog of large"
                    + " documents backpressures instead of filling the heap (one message may pass it); auto: a"
                    + " sixteenth of the heap, at most 64mb", "auto", false,
            text -> text.trim().equalsIgnoreCase("auto") ? 0L : Setting.parseByteSize(text));

    /**
     * The bound in bytes: as configured, or a sixteenth of the heap up to 64 MB. A fixed 64 MB ran a 256 MB task
     * manager out of memory on a backlog of 1 MB XML documents (scenario F8): their extracted rows are about ten times
     * the document, and Flink copies records between chained operators.
     */
    public static long maxUnacknowledgedBytes(long configured, long maxHeapBytes) {
        return configured > 0 ? configured : Math.max(1L << 20, Math.min(64L << 20, maxHeapBytes / 16));
    }

    public static final List<Setting<?>> ALL = List.of(MAX_MESSAGES_PER_FETCH, POLL_TIMEOUT, MAX_UNACKNOWLEDGED,
            MAX_UNACKNOWLEDGED_BYTES);

    private BrokerSourceSettings() {
    }
}
