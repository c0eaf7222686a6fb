package dev.cdc.flink.job;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** Architecture B's settings (section {@code flink}), declared once. */
public final class FlinkSettings {

    public static final Setting<String> QUEUE = Setting.string("flink.queue", "cdc/oracle/SALES/*/>::cdc.events",
            "the address the source reads: on Solace the queue name; on the embedded broker ADDRESS::QUEUE as ./cdc infra prints it");
    public static final Setting<Integer> PARALLELISM = Setting.integer("flink.parallelism", 2, 1, 1024,
            "parallelism of every operator (source readers are competing consumers on the queue)");
    public static final Setting<Integer> SOURCE_PARALLELISM = Setting.integer("flink.source-parallelism", 2, 1, 1024,
            "queue readers, competing consumers on the queue; each row's changes reach one reader in order (message"
                    + " groups on the embedded broker, partitioned queues on Solace); the column types a table keeps (scenario"
                    + " S4) follow publish order with any number; on a leased queue only the job holding its lease reads");
    public static final Setting<Duration> CHECKPOINT_INTERVAL = Setting.duration("flink.checkpoint-interval", "5s",
            "how often a checkpoint is taken; messages are acknowledged on the broker when it completes");
    public static final Setting<String> CHECKPOINT_DIR = Setting.string("flink.checkpoint-dir", "data/flink/checkpoints",
            "where checkpoints are kept (a path or a URI); a restart resumes from the latest one");
    public static final Setting<String> SAVEPOINT_DIR = Setting.string("flink.savepoint-dir", "",
            "where a stop's savepoints are kept, apart from the checkpoints so that removing those leaves the join's"
                    + " state of the last stop (default: savepoints beside the checkpoint directory)");
    /** Where keyed state lives. */
    public enum StateBackend {
        /** On the heap: fastest access; every checkpoint writes the whole state. */
        HASHMAP,
        /** In RocksDB on local disk: each access (de)serializes; checkpoints are incremental. */
        ROCKSDB
    }

    public static final Setting<StateBackend> STATE_BACKEND = Setting.choice("flink.state-backend", StateBackend.class,
            StateBackend.HASHMAP, "where the join state lives: hashmap (heap; each checkpoint writes all of it) or"
                    + " rocksdb (local disk; incremental checkpoints, for state larger than a few hundred MB)");
    /** Replaces {@code flink.state-ttl}, which expired live rows too and so changed enriched orders. */
    public static final Setting<Duration> TOMBSTONE_RETENTION = Setting.duration("flink.tombstone-retention", "24h",
            "how long the join keeps a deleted row (its key and position) to refuse late older changes of it, and a"
                    + " deleted order's items; live rows are never expired (an output never changes by expiry)");
    public static final Setting<Duration> REBUILD_INTERVAL = Setting.duration("flink.enriched.rebuild-interval", "200ms",
            "how long the changes of one order are gathered before its enriched order is rebuilt and sent (0ms: at once)");
    public static final Setting<Duration> OUT_OF_ORDERNESS = Setting.duration("flink.watermark.out-of-orderness", "5s",
            "how far behind the newest source commit time the event-time watermark stays");
    public static final Setting<Duration> PUBLISH_SKEW = Setting.duration("flink.watermark.publish-skew", "1s",
            "how far behind the newest publish time a queue reader's watermark stays (publishers' clocks disagree);"
                    + " a table whose column first arrives as text waits about this long, once, for earlier typed rows");
    public static final Setting<Duration> IDLE_AFTER = Setting.duration("flink.watermark.idle-after", "3s",
            "a queue reader that emitted nothing this long (not backpressured) lets its publish-time watermark follow"
                    + " the clock, so it holds no other reader back, nor a quiet pipeline's last held table; keep it"
                    + " longer than a reader's stalls (a stalled reader's prefetched messages would come late)");
    public static final Setting<String> CONSUMER_ID = Setting.string("flink.consumer-id", "flink-rest",
            "the name dead letters carry as their consumer");
    public static final Setting<Integer> PREFETCH = Setting.integer("flink.prefetch", 0, 0, 100_000,
            "messages the broker sends each source reader ahead of processing (AMQP credit counts messages, not"
                    + " bytes); 0: from the heap, one per 4 MB (16 to 1000), so 1 MB documents can't fill a small heap");

    /** The prefetch: as configured, or one message per 4 MB of heap (16 to 1000). */
    public static int prefetch(Configuration config, long maxHeapBytes) {
        int configured = config.get(PREFETCH);
        return configured > 0 ? configured : (int) Math.max(16, Math.min(1000, (maxHeapBytes >> 20) / 4));
    }
    public static final Setting<Boolean> UI = Setting.bool("flink.ui", true, "serve the Flink web UI (local mini-cluster)");
    public static final Setting<Integer> UI_PORT = Setting.integer("flink.ui-port", 8081, 1, 65535,
            "the Flink web UI's port (on 127.0.0.1)");

    public static final Setting<String> METRICS_HOST = Setting.string("flink.metrics-host", "127.0.0.1",
            "the address the job's Prometheus metrics are served on (by ./cdc flink, the job's client)");
    public static final Setting<Integer> METRICS_PORT = Setting.integer("flink.metrics-port", 9465, 0, 65535,
            "the port of the job's Prometheus metrics (GET /metrics); 0 takes a free one (printed at start)");

    public static final List<Setting<?>> ALL = List.of(QUEUE, PARALLELISM, SOURCE_PARALLELISM, CHECKPOINT_INTERVAL, CHECKPOINT_DIR, SAVEPOINT_DIR, STATE_BACKEND, TOMBSTONE_RETENTION, REBUILD_INTERVAL,
            OUT_OF_ORDERNESS, PUBLISH_SKEW, IDLE_AFTER, CONSUMER_ID, PREFETCH, UI, UI_PORT, METRICS_HOST, METRICS_PORT);

    private FlinkSettings() {
    }
}
