package dev.cdc.flink.job;

import dev.cdc.common.event.Position;

/**
 * What the first join step hands to the enriched-order step: one side of an order (the order row with its customer,
 * or one item with its product), each with its position so the last step keeps only the newest.
 */
public class JoinPart {

    public static final String ORDER = "order";
    public static final String ITEM = "item";

    public String kind;
    public String orderKey;
    /** The row's own key (the order's or the item's). */
    public String rowKey;
    public long scn;
    public long sequence;
    public boolean deleted;
    public byte[] rowJson;
    /** The referenced row (customer or product): its position, or -1 when unknown, and its JSON or null. */
    public long refScn = -1;
    public long refSequence = -1;
    public byte[] refJson;
    public long sourceTsMs;

    public JoinPart() {
    }

    /** A changed row as a part: the referenced row (customer, product) not known yet. */
    static JoinPart of(ChangeRecord change, String kind) {
        JoinPart part = new JoinPart();
        part.kind = kind;
        part.orderKey = change.orderKey;
        part.rowKey = change.rowKey;
        part.scn = change.scn;
        part.sequence = change.sequence;
        part.deleted = change.deleted;
        part.rowJson = change.deleted ? null : change.joinRow; // a tombstone needs its key and position only
        part.sourceTsMs = change.sourceTsMs;
        return part;
    }

    /** This part with the referenced row's position and image (none when {@code ref} is unknown or deleted). */
    JoinPart withReference(JoinPart ref) {
        JoinPart part = new JoinPart();
        part.kind = kind;
        part.orderKey = orderKey;
        part.rowKey = rowKey;
        part.scn = scn;
        part.sequence = sequence;
        part.deleted = deleted;
        part.rowJson = rowJson;
        part.sourceTsMs = sourceTsMs;
        if (ref != null) {
            part.refScn = ref.scn;
            part.refSequence = ref.sequence;
            part.refJson = ref.deleted ? null : ref.rowJson;
        }
        return part;
    }

    public Position position() {
        return new Position(scn, sequence);
    }

    public Position refPosition() {
        return new Position(refScn, refSequence);
    }

    /** Newer than {@code held}: a later row position, or the same row with a later referenced row. */
    public boolean supersedes(JoinPart held) {
        if (held == null) {
            return true;
        }
        int row = position().compareTo(held.position());
        return row > 0 || (row == 0 && refPosition().isAfter(held.refPosition()));
    }
}
