package dev.cdc.flink.job;

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
    public String rowJson;
    /** The referenced row (customer or product): its position, or -1 when unknown, and its JSON or null. */
    public long refScn = -1;
    public long refSequence = -1;
    public String refJson;
    public long sourceTsMs;

    public JoinPart() {
    }

    public Version version() {
        return new Version(scn, sequence);
    }

    public Version refVersion() {
        return new Version(refScn, refSequence);
    }

    /** Newer than {@code held}: a later row position, or the same row with a later referenced row. */
    public boolean supersedes(JoinPart held) {
        if (held == null) {
            return true;
        }
        int row = version().compareTo(held.version());
        return row > 0 || (row == 0 && refVersion().isAfter(held.refVersion()));
    }
}
