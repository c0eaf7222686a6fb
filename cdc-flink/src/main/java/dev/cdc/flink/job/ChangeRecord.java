package dev.cdc.flink.job;

import dev.cdc.common.event.Position;

/**
 * One decoded change as it travels between operators: its identity and position, the join keys it carries, its
 * row in the truth's canonical JSON form and the record the REST API receives. Plain text fields keep Flink's
 * serialization fast and exact (a POJO, no generic types).
 */
public class ChangeRecord {

    /** {@code SCHEMA.TABLE:scn:sequence}. */
    public String eventId;
    /** {@code SCHEMA.TABLE}. */
    public String table;
    /** The broker topic it came on. */
    public String topic;
    public long scn;
    public long sequence;
    public boolean deleted;
    /** Read by the initial snapshot (op r): a bulk load, not a change whose latency is measured. */
    public boolean snapshot;
    /** Source commit time (epoch ms): the event time. */
    public long sourceTsMs;
    /** When the source received the message (epoch µs). */
    public long receivedAtMicros;
    /** The row key's text (a single key column's value), and the keys the 3-way join routes by; null when not set. */
    public String rowKey;
    public String orderKey;
    public String customerKey;
    public String productKey;
    /** The row image that describes the row (after, or before for a delete), canonical JSON. */
    public String rowJson;
    /** The change record the REST API receives. */
    public String apiJson;

    public ChangeRecord() {
    }

    public Position position() {
        return new Position(scn, sequence);
    }
}
