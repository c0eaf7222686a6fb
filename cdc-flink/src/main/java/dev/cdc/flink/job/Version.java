package dev.cdc.flink.job;

/** A row's position in the source's history, {@code (scn, sequence)}; {@link #NONE} before any. */
public record Version(long scn, long sequence) implements Comparable<Version> {

    public static final Version NONE = new Version(-1, -1);

    @Override
    public int compareTo(Version o) {
        int c = Long.compare(scn, o.scn);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    public boolean isAfter(Version o) {
        return compareTo(o) > 0;
    }
}
