package dev.cdc.flink.job;

import dev.cdc.common.event.Position;

/**
 * One decoded change as it travels between operators: its identity and position, the join keys it carries, its
 * row in the truth's canonical JSON form and the record the REST API receives. Plain fields keep Flink's
 * serialization fast and exact (a POJO, no generic types); JSON travels as UTF-8 bytes, which Flink copies in bulk
 * (a String field is written character by character, in every shuffle and every checkpoint of the join state).
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
    /**
     * A truncate of the table (op t): a record for the REST API only, without key, row or join keys; the join never
     * sees it.
     */
    public boolean truncate;
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
    /**
     * What the 3-way join needs of the row image (after, or before for a delete): canonical JSON without the
     * columns the enriched order never carries (the XML documents); null for a table outside the join.
     */
    public byte[] joinRow;
    /** The change record the REST API receives (JSON); null once the record has left for the join. */
    public byte[] apiJson;

    public ChangeRecord() {
    }

    /** This change without its API record: what the join's shuffles carry. */
    public ChangeRecord forJoin() {
        ChangeRecord c = new ChangeRecord();
        c.eventId = eventId;
        c.table = table;
        c.topic = topic;
        c.scn = scn;
        c.sequence = sequence;
        c.deleted = deleted;
        c.truncate = truncate;
        c.snapshot = snapshot;
        c.sourceTsMs = sourceTsMs;
        c.receivedAtMicros = receivedAtMicros;
        c.rowKey = rowKey;
        c.orderKey = orderKey;
        c.customerKey = customerKey;
        c.productKey = productKey;
        c.joinRow = joinRow;
        return c;
    }

    public Position position() {
        return new Position(scn, sequence);
    }
}
