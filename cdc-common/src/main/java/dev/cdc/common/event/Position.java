package dev.cdc.common.event;

import java.io.Serializable;

/**
 * Where a change stands in the source's history: its SCN, then its sequence within that SCN. The ODS applies a
 * change to a row only if its position is greater than the one the row holds.
 */
public record Position(long scn, long sequence) implements Comparable<Position>, Serializable {

    public static final Position NONE = new Position(-1, -1);

    @Override
    public int compareTo(Position o) {
        int c = Long.compare(scn, o.scn);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    public boolean isAfter(Position o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return scn + ":" + sequence;
    }
}
