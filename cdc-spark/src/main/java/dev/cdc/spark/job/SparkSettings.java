package dev.cdc.spark.job;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** Architecture A's settings (section {@code spark}), declared once. */
public final class SparkSettings {

    public static final Setting<String> MASTER = Setting.string("spark.master", "local[2]",
            "Spark master: local[N] runs in this JVM; a cluster's URL when submitted with spark-submit");
    public static final Setting<String> QUEUE = Setting.string("spark.queue", "cdc/oracle/SALES/*/>::cdc.events",
            "the address the consumer reads: on Solace the queue name; on the embedded broker ADDRESS::QUEUE as ./cdc infra prints it");
    public static final Setting<String> CHECKPOINT = Setting.string("spark.checkpoint-dir", "data/spark/checkpoint",
            "the query's checkpoint (offsets and commits); a restart resumes from it");
    public static final Setting<Duration> TRIGGER = Setting.duration("spark.trigger-interval", "500ms",
            "how often a micro-batch starts");
    public static final Setting<Integer> MAX_EVENTS = Setting.integer("spark.max-events-per-trigger", 20_000, 1, 1_000_000,
            "at most this many messages per micro-batch");
    public static final Setting<Integer> MAX_MB = Setting.integer("spark.max-mb-per-trigger", 0, 0, 1024,
            "at most this many MB of message bodies per micro-batch; the driver holds at most twice as much received"
                    + " and unacknowledged, so a backlog of large documents stays in the queue (backpressure);"
                    + " 0: from the driver's heap (a sixty-fourth, at most 64)");
    public static final Setting<Integer> PREFETCH = Setting.integer("spark.prefetch", 0, 0, 100_000,
            "messages the broker sends ahead of the consumer (AMQP credit, counted in messages: the client holds"
                    + " up to this many bodies besides the driver's buffer); 0: from the driver's heap (one per 8 MB,"
                    + " 16 to 1000)");

    /**
     * The batch's byte bound: as configured, or a sixty-fourth of the heap (at most 64 MB). A batch's bodies grow
     * about tenfold in memory when their XML becomes rows (a 1 MB document is 10,000 extracted rows), so a 512 MB
     * driver takes 8 MB of documents at a time.
     */
    public static int maxMbPerTrigger(Configuration config, long maxHeapBytes) {
        int configured = config.get(MAX_MB);
        return configured > 0 ? configured : (int) Math.max(1, Math.min(64, (maxHeapBytes >> 20) / 64));
    }

    /** The prefetch: as configured, or one message per 8 MB of heap (16 to 1000): 1 MB documents can't fill it. */
    public static int prefetch(Configuration config, long maxHeapBytes) {
        int configured = config.get(PREFETCH);
        return configured > 0 ? configured : (int) Math.max(16, Math.min(1000, (maxHeapBytes >> 20) / 8));
    }

    public static final Setting<Integer> UI_PORT = Setting.integer("spark.ui-port", 4040, 1, 65535,
            "the Spark UI's port (on 127.0.0.1)");
    public static final Setting<Boolean> UI = Setting.bool("spark.ui", true, "serve the Spark UI");

    public static final Setting<String> METRICS_HOST = Setting.string("spark.metrics-host", "127.0.0.1",
            "the address the consumer's Prometheus metrics are served on");
    public static final Setting<Integer> METRICS_PORT = Setting.integer("spark.metrics-port", 9464, 0, 65535,
            "the port of the consumer's Prometheus metrics (GET /metrics); 0 takes a free one (printed at start)");

    public static final List<Setting<?>> ALL = List.of(MASTER, QUEUE, CHECKPOINT, TRIGGER, MAX_EVENTS, MAX_MB, PREFETCH, UI_PORT, UI,
            METRICS_HOST, METRICS_PORT);

    private SparkSettings() {
    }
}
