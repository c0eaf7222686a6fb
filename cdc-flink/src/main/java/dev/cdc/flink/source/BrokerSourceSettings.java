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

    public static final Setting<Long> MAX_UNACKNOWLEDGED_BYTES = Setting.byteSize(
            "flink.source.max-unacknowledged-bytes", "64mb", "received but not yet acknowledged message bodies per"
                    + " reader (e.g. 64mb), past which it stops receiving until a checkpoint completes: a backlog of"
                    + " large documents backpressures instead of filling the heap (one message may pass it)");

    public static final List<Setting<?>> ALL = List.of(MAX_MESSAGES_PER_FETCH, POLL_TIMEOUT, MAX_UNACKNOWLEDGED,
            MAX_UNACKNOWLEDGED_BYTES);

    private BrokerSourceSettings() {
    }
}
